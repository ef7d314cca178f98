"""Noise mixed under speech at a given signal-to-noise ratio: white noise, babble (other
voices talking at once) and TV sound (speech and music-like tones), each seeded, so a
metric is repeatable run to run."""

from __future__ import annotations

import numpy as np

from lab.voice.speech import RATE, Voice, say

BABBLE_LINES = (
    "the meeting moved to thursday afternoon",
    "did you see the match last night",
    "we need more milk and some bread",
    "the train was late again this morning",
)


def white(length: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 3000, length)


def babble(length: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    voices = [
        Voice("en-us", 150),
        Voice("en-gb", 170),
        Voice("en-us+f3", 160),
        Voice("en-gb+m3", 140),
    ]
    mix = np.zeros(length)
    for line, voice in zip(BABBLE_LINES, voices, strict=True):
        talk = np.tile(say(line, voice).astype(float), length // 8000 + 2)
        start = int(rng.integers(0, 8000))
        mix += talk[start : start + length]
    return mix


def tv(length: int, seed: int = 0) -> np.ndarray:
    t = np.arange(length) / RATE
    music = sum(np.sin(2 * np.pi * f * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 0.5 * t + k))
                for k, f in enumerate((220.0, 277.2, 329.6)))  # fmt: skip
    return music * 2000 + babble(length, seed) * 0.5


KINDS = {"white": white, "babble": babble, "tv": tv}


def mix(speech: np.ndarray, kind: str, snr_db: float, seed: int = 0) -> np.ndarray:
    """`speech` with `kind` noise under it at `snr_db` (speech power over noise power,
    the speech's power taken where it is not silent)."""
    noise = KINDS[kind](len(speech), seed).astype(float)
    voiced = speech[np.abs(speech) > 200].astype(float)
    power = float(np.mean(voiced**2)) if len(voiced) else 1.0
    noise *= np.sqrt(power / (10 ** (snr_db / 10)) / max(float(np.mean(noise**2)), 1e-9))
    return np.clip(speech.astype(float) + noise, -32768, 32767).astype(np.int16)
