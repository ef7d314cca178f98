"""An utterance as a test plays it: 0.5 s of room before it (Alexa's acoustic testing
guide asks for 500 ms before the wake word), the wake phrase, a short pause, the command,
and noise under all of it at the SNR asked for. The marks say where the wake phrase and
the speech end, so a device's answers can be timed against them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lab.voice.noise import KINDS, mix
from lab.voice.speech import RATE, Voice, say, silence

LEAD_IN = 0.5  # seconds before the first word
PAUSE = 0.25  # between the wake phrase and the command, as people say "Hi TOS, ..."
TAIL = 0.3  # room after the last word, in the utterance itself


@dataclass(frozen=True)
class Utterance:
    command: str  # "" for the wake phrase alone
    voice: Voice = field(default_factory=Voice)
    wake: str = "hi toss"  # "" for a command without it (or an impostor phrase)
    noise: str = "none"  # none | white | babble | tv
    snr_db: float = 10.0
    seed: int = 0

    def __post_init__(self) -> None:
        if self.noise != "none" and self.noise not in KINDS:
            raise ValueError(f"noise {self.noise!r}: expected none or one of {sorted(KINDS)}")
        if not (self.wake or self.command):
            raise ValueError("an utterance needs a wake phrase, a command or both")

    @property
    def text(self) -> str:
        return " ".join(part for part in (self.wake, self.command) if part)

    @property
    def label(self) -> str:
        noise = "quiet" if self.noise == "none" else f"{self.noise} {self.snr_db:g} dB"
        return f"{self.text!r} {self.voice.name} {self.voice.speed} wpm, {noise}"


@dataclass
class Rendered:
    samples: np.ndarray  # int16, 16 kHz
    marks: dict[str, float] = field(default_factory=dict)  # seconds from the start

    @property
    def seconds(self) -> float:
        return len(self.samples) / RATE


def spoken(text: str, voice: Voice) -> np.ndarray:
    """`text` as said, without espeak-ng's own silence around it: the marks are where the
    words are."""
    samples = say(text, voice)
    loud = np.flatnonzero(np.abs(samples) > 200)
    return samples[loud[0] : loud[-1] + 1] if len(loud) else samples


def render(utterance: Utterance) -> Rendered:
    parts, marks, at = [silence(LEAD_IN)], {}, LEAD_IN
    if utterance.wake:
        wake = spoken(utterance.wake, utterance.voice)
        parts.append(wake)
        at += len(wake) / RATE
        marks["wake_end"] = at
    if utterance.command:
        if utterance.wake:
            parts.append(silence(PAUSE))
            at += PAUSE
        command = spoken(utterance.command, utterance.voice)
        parts.append(command)
        at += len(command) / RATE
    marks["speech_end"] = at
    parts.append(silence(TAIL))
    samples = np.concatenate(parts)
    if utterance.noise != "none":
        samples = mix(samples, utterance.noise, utterance.snr_db, utterance.seed)
    return Rendered(samples, marks)
