"""What a device said, as text: pocketsphinx over the speaker's recording, scored against
what it should have said with jiwer's word error rate.

Open-vocabulary recognition is weak on synthetic speech (shared/notes: 18 % of phrases;
here "opening settings" came back as "oh yeah the"), so when the answers a device can give
are known, recognition is closed-set: a grammar of those answers. Give the expected answer
among the others: a device that says another answer is heard as that one (a WER above 0);
only garbage that sounds like the expected answer could pass, which is what a listener
would hear too. A loop of common words beside the answers was tried and dropped: it
swallowed real answers ("paused" came back as "all with")."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import jiwer
import numpy as np
from pocketsphinx import Decoder

NOISE_FLOOR = 100.0  # RMS, about -50 dBFS (measured: see lab/sim/apps/assistant/listener.py)


def words(text: str) -> str:
    """Lower case, digits and letters only: what a recogniser can be held to."""
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


def transcribe(samples: np.ndarray, phrases: list[str] | None = None) -> str:
    if phrases:
        folder = Path(tempfile.mkdtemp(prefix="tos-answers-"))
        options = " | ".join(sorted({words(p) for p in phrases if words(p)}))
        grammar = folder / "answers.jsgf"
        grammar.write_text(f"#JSGF V1.0;\ngrammar answers;\npublic <said> = {options};\n")
        decoder = Decoder(jsgf=str(grammar), lm=None, loglevel="FATAL")
    else:
        decoder = Decoder(loglevel="FATAL")
    # silence around it, so a recording cut close to the speech still ends the last word,
    # and a noise floor under all of it: pocketsphinx's feature normalisation breaks on
    # digital silence (a recording of a virtual speaker has it between words)
    padded = np.concatenate([np.zeros(4800), samples.astype(float), np.zeros(8000)])
    padded += np.random.default_rng(0).normal(0.0, NOISE_FLOOR, len(padded))
    padded = np.clip(padded, -32768, 32767).astype(np.int16)
    decoder.start_utt()
    decoder.process_raw(padded.tobytes(), full_utt=True)
    decoder.end_utt()
    found = decoder.hyp()
    return found.hypstr if found else ""


def word_error_rate(expected: str, transcript: str) -> float:
    reference = words(expected)
    if not reference:
        return 0.0 if not words(transcript) else 1.0
    return float(jiwer.wer(reference, words(transcript) or "<nothing>"))
