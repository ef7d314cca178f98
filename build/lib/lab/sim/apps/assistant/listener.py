"""Listening on the microphone: pocketsphinx's endpointer finds speech, its decoder runs
the grammar over it as it comes, and

- the wake phrase is announced as soon as the partial result holds it and more (a next
  word, or 0.3 s of it standing), not at the end of the utterance: the wake-word
  detection delay is what a user waits for the listening tone;
- the utterance ends at the endpointer's silence, or when the partial result has been a
  whole sentence for 0.6 s (in steady noise, babble or a TV, the endpointer hears speech
  without end), or after MAX_SECONDS.

Only whole sentences of the grammar are acted on (grammar.parse).

The front end adds a noise floor (NOISE_FLOOR) before recognition: pocketsphinx's feature
normalisation breaks on digital silence, which synthetic speech has between its words
(measured, 25 phrases over 5 voices: 11/25 right as sent, 23/25 over a floor of RMS 100,
the same from 100 to 300)."""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from pocketsphinx import Decoder, Endpointer

from lab.sim.apps.assistant.grammar import WAKE, Heard, jsgf, parse

log = logging.getLogger("assistant")
FRAME_SECONDS = 0.03  # the endpointer's frame
WAKE_STEADY = 10  # frames (0.3 s) of the wake phrase alone in the partial result
SENTENCE_STEADY = 20  # frames (0.6 s) of one whole sentence standing
MAX_SECONDS = 8.0
CONFIRM_EVERY = 5  # frames between confirmations of a proposed wake phrase (CPU bound)
NOISE_FLOOR = 100.0  # RMS of int16 samples, about -50 dBFS: a quiet room


class Listener:
    def __init__(
        self,
        device_class: str,
        on_wake: Callable[[], None],
        on_utterance: Callable[[Heard | None, str, bool], None],
    ) -> None:
        self._class = device_class
        self._on_wake, self._on_utterance = on_wake, on_utterance
        folder = Path(tempfile.mkdtemp(prefix="tos-grammar-"))
        (folder / "tos.jsgf").write_text(jsgf(device_class))
        self._decoder = Decoder(jsgf=str(folder / "tos.jsgf"), lm=None, loglevel="FATAL")
        self._final = Decoder(jsgf=str(folder / "tos.jsgf"), lm=None, loglevel="FATAL")
        self._speech: list[bytes] = []
        self._endpointer = Endpointer(frame_length=FRAME_SECONDS)
        self._pending = b""
        self._in_utterance = False
        self._woke = False
        self._frames = 0
        self._wake_steady = 0
        self._next_confirm = 0
        self._last = ""
        self._steady = 0
        self.recognition_ms = 0.0  # the last utterance's final decoding
        self._lock = threading.Lock()
        self._noise = np.random.default_rng(0)

    def feed(self, pcm: bytes) -> None:
        """Microphone audio as it arrives (16 kHz s16le mono)."""
        with self._lock:
            self._pending += self._floored(pcm)
            size = self._endpointer.frame_bytes
            while len(self._pending) >= size:
                frame, self._pending = self._pending[:size], self._pending[size:]
                self._frame(frame)

    def _floored(self, pcm: bytes) -> bytes:
        samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float32)
        samples += self._noise.normal(0.0, NOISE_FLOOR, len(samples)).astype(np.float32)
        return np.clip(samples, -32768, 32767).astype(np.int16).tobytes()

    def _frame(self, frame: bytes) -> None:
        speech = self._endpointer.process(frame)
        if speech is None:
            return
        if not self._in_utterance:
            self._decoder.start_utt()
            self._in_utterance, self._woke, self._frames = True, False, 0
            self._wake_steady, self._last, self._steady = 0, "", 0
            self._next_confirm = 0
            self._speech = []
        self._decoder.process_raw(speech)
        self._speech.append(speech)
        self._frames += 1
        partial = self._decoder.hyp()
        words = partial.hypstr if partial else ""
        if not self._woke:
            self._watch_for_wake(words)
        self._steady = self._steady + 1 if words == self._last else 0
        self._last = words
        whole = parse(self._class, words)
        settled = whole is not None and whole.command and self._steady >= SENTENCE_STEADY
        too_long = self._frames * FRAME_SECONDS >= MAX_SECONDS
        if not self._endpointer.in_speech or settled or too_long:
            self._end()

    def _end(self) -> None:
        self._decoder.end_utt()
        self._in_utterance = False
        started = time.perf_counter()
        text = self._second_pass(b"".join(self._speech))
        self.recognition_ms = (time.perf_counter() - started) * 1000
        heard = parse(self._class, text)
        try:
            if heard is not None and heard.wake and not self._woke:
                self._woke = True  # the phrase ended before a partial result showed it
                self._on_wake()
            self._on_utterance(heard, text, self._woke)
        except Exception:  # a failed action must not stop the microphone
            log.exception("utterance %r", text)

    def _second_pass(self, speech: bytes) -> str:
        """The whole utterance decoded again at once: the live pass normalises its
        features from the start as it goes (its first words are heard worse); this one
        normalises over the whole utterance. Measured on the default farm: "hi toss open
        settings" (en-gb, 150 wpm) came back "hi tops ..." live and right here."""
        pad = self._floored(bytes(2 * int(0.3 * 16000)))
        self._final.start_utt()
        self._final.process_raw(pad + speech + pad, full_utt=True)
        self._final.end_utt()
        found = self._final.hyp()
        return found.hypstr if found else ""

    def _watch_for_wake(self, partial: str) -> None:
        """The live result proposes the wake phrase; the speech so far decoded at once
        confirms it before the tone plays (measured on the full set: unconfirmed, "hide
        the ..." and "hi boss ..." in background speech rang the tone 44 times an hour)."""
        words = partial.split()
        if words[:2] != WAKE.split():
            self._wake_steady = 0
            return
        self._wake_steady += 1
        proposed = len(words) > 2 or self._wake_steady >= WAKE_STEADY
        if not proposed or self._frames < self._next_confirm:
            return
        self._next_confirm = self._frames + CONFIRM_EVERY
        so_far = self._second_pass(b"".join(self._speech)).split()
        if so_far[:2] == WAKE.split():
            self._woke = True
            self._on_wake()
