"""Utterances from text with espeak-ng (voice, speed, pitch), at the lab's audio format:
16 kHz, 16-bit, mono (sox resamples, without dither: the same text gives the same
samples every run), with the lead-in of silence Alexa's guide asks for
before a wake word."""

from __future__ import annotations

import io
import subprocess
import wave
from dataclasses import dataclass

import numpy as np

from lab.errors import LabError

RATE = 16000
TIMEOUT = 20.0


@dataclass(frozen=True)
class Voice:
    name: str = "en-us"  # an espeak-ng voice: en-us, en-gb, en-us+f3, en-gb-x-rp+m3, ...
    speed: int = 160  # words a minute
    pitch: int = 50  # 0-99


def say(text: str, voice: Voice = Voice()) -> np.ndarray:
    """`text` spoken by `voice`, int16 at 16 kHz."""
    try:
        spoken = subprocess.run(
            ["espeak-ng", "-v", voice.name, "-s", str(voice.speed), "-p", str(voice.pitch),
             "--stdout", text],
            capture_output=True, timeout=TIMEOUT, check=True,
        ).stdout  # fmt: skip
        converted = subprocess.run(
            ["sox", "--no-dither", "-t", "wav", "-", "-t", "wav", "-r", str(RATE), "-b", "16",
             "-c", "1", "-e", "signed-integer", "-"],
            input=spoken, capture_output=True, timeout=TIMEOUT, check=True,
        ).stdout  # fmt: skip
    except FileNotFoundError as exc:
        raise LabError(
            f"{exc.filename} is missing", hint="`make` installs espeak-ng and sox"
        ) from None
    except subprocess.CalledProcessError as exc:
        raise LabError(
            f"speech for {text!r} failed: {exc.stderr.decode(errors='replace')[-200:]}"
        ) from None
    return read_wav(converted)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(RATE * seconds), dtype=np.int16)


def read_wav(data: bytes) -> np.ndarray:
    with wave.open(io.BytesIO(data)) as source:
        return np.frombuffer(source.readframes(source.getnframes()), dtype=np.int16).copy()


def wav_bytes(samples: np.ndarray) -> bytes:
    """A WAV file of `samples` (for report attachments)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(RATE)
        sink.writeframes(samples.astype(np.int16).tobytes())
    return out.getvalue()
