"""What an audio rig hands back: the utterance sent, the speaker recorded on the same
clock, and where sounds are in it. Sound starts where 20 ms of the speaker first rise
above a threshold (RMS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeVar

import numpy as np

from lab.errors import Category, LabError

RATE = 16000
FRAME = RATE // 50
SOUND_RMS = 300.0  # above the quiet floor of a speaker, below any answer or tone


class AudioUnsupported(LabError):
    """This device's microphone and speaker cannot be reached from here."""

    category = Category.LAB_INFRASTRUCTURE


@dataclass
class Exchange:
    """One utterance played and what the speaker did meanwhile and after."""

    sent: np.ndarray  # what the microphone heard
    heard: np.ndarray  # the speaker, from the start of the utterance
    marks: dict[str, float]  # seconds from the start: e.g. wake_end, utterance_end

    def sound_after(self, seconds: float, min_gap: float = 0.0) -> float | None:
        """Seconds from the start where the speaker's first sound after `seconds` begins."""
        start = int(seconds * RATE)
        for at in range(start - start % FRAME, len(self.heard) - FRAME + 1, FRAME // 2):
            window = self.heard[at : at + FRAME].astype(float)
            if np.sqrt(np.mean(window**2)) > SOUND_RMS:
                return max(at / RATE, seconds + min_gap)
        return None

    def sounds(self, after: float) -> list[tuple[float, float]]:
        """(start, end) of each stretch of sound after `after`, in seconds."""
        found, current = [], None
        for at in range(int(after * RATE), len(self.heard) - FRAME + 1, FRAME):
            loud = np.sqrt(np.mean(self.heard[at : at + FRAME].astype(float) ** 2)) > SOUND_RMS
            if loud and current is None:
                current = at / RATE
            elif not loud and current is not None:
                found.append((current, at / RATE))
                current = None
        if current is not None:
            found.append((current, len(self.heard) / RATE))
        return found


A = TypeVar("A", bound="Audio")


class Audio(Protocol):
    """The audio part of a bench, whatever it is (lab/rig/audio.py: a virtual device's
    audio port over adb; lab/rig/soundcard.py: a sound card beside a real device):
    exchange(), stream(), and close() on leaving a `with` block."""

    def exchange(
        self,
        utterance: np.ndarray,
        listen: float,
        marks: dict[str, float] | None = None,
        answered_after: float | None = None,
    ) -> Exchange: ...

    def stream(self, samples: np.ndarray, pace: float = 1.0) -> float: ...

    def close(self) -> None: ...

    def __enter__(self: A) -> A:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
