"""One turn with a TOS+ device's voice assistant: an utterance played into its microphone,
what its speaker did (the listening tone, the spoken answer, both timed) and what its
answer card says. Only the harness API: the same turn runs on a real device with a
sound card beside it.

Timing follows Alexa's acoustic testing guide: the wake-word detection delay runs from
the end of the wake phrase to the device's listening indication (its tone); the response
latency from the end of the speech to the start of the spoken answer."""

from __future__ import annotations

from dataclasses import dataclass

from lab.device.dut import Dut
from lab.rig.exchange import Audio, Exchange
from lab.voice.speech import RATE
from lab.voice.transcribe import transcribe
from lab.voice.utterance import Rendered, Utterance, render

PACKAGE = "com.tos.assistant"
TONE_WITHIN = 2.0  # seconds after the wake phrase a listening tone may come
TONE_LONGEST = 0.4  # the tone is short; a longer sound is an answer
LISTEN = 5.0  # seconds of room after the speech for the answer, at most


def rid(name: str) -> str:
    return f"{PACKAGE}:id/{name}"


@dataclass
class Turn:
    utterance: Utterance
    rendered: Rendered
    exchange: Exchange
    tone_at: float | None  # seconds from the start
    answer_at: float | None
    answer_end: float | None
    heard: str  # the card's "you said" ("" without a card)
    answer: str  # the card's answer

    @property
    def woke(self) -> bool:
        """The device showed it was listening (its tone), or answered."""
        return self.tone_at is not None or self.answer_at is not None

    @property
    def wake_delay(self) -> float | None:
        wake_end = self.rendered.marks.get("wake_end")
        if self.tone_at is None or wake_end is None:
            return None
        return self.tone_at - wake_end

    @property
    def latency(self) -> float | None:
        if self.answer_at is None:
            return None
        return self.answer_at - self.rendered.marks["speech_end"]

    def spoken(self, phrases: list[str]) -> str:
        """The spoken answer as heard by a recogniser that knows `phrases`."""
        if self.answer_at is None or self.answer_end is None:
            return ""
        start, end = int(self.answer_at * RATE), int((self.answer_end + 0.2) * RATE)
        return transcribe(self.exchange.heard[start:end], phrases)


def ask(dut: Dut, rig: Audio, utterance: Utterance, listen: float = LISTEN) -> Turn:
    """Play `utterance` from the home screen and collect what the device did."""
    dut.ui.press("home")
    rendered = render(utterance)
    speech_end = rendered.marks["speech_end"]
    exchange = rig.exchange(
        rendered.samples, listen, rendered.marks, answered_after=speech_end - 0.2
    )
    tone_at, answer_at, answer_end = _timing(exchange, rendered)
    heard = answer = ""
    if answer_at is not None and dut.ui.exists(timeout=3, resourceId=rid("answer_value")):
        heard = dut.ui.text(resourceId=rid("heard_value"))
        answer = dut.ui.text(resourceId=rid("answer_value"))
    return Turn(utterance, rendered, exchange, tone_at, answer_at, answer_end, heard, answer)


def _timing(exchange: Exchange, rendered: Rendered) -> tuple[float | None, ...]:
    """(tone start, answer start, answer end), each None when the speaker did not."""
    wake_end = rendered.marks.get("wake_end")
    speech_end = rendered.marks["speech_end"]
    groups = _groups(exchange.sounds(0.0))
    tone = None
    for start, end in groups:
        near_wake = wake_end is None or start <= wake_end + TONE_WITHIN
        if end - start <= TONE_LONGEST and near_wake:
            tone = (start, end)
            break
    after = max(tone[1] if tone else 0.0, speech_end - 0.2)
    answer = next(((s, e) for s, e in groups if s >= after), None)
    return (
        tone[0] if tone else None,
        answer[0] if answer else None,
        answer[1] if answer else None,
    )


def _groups(sounds: list[tuple[float, float]], gap: float = 0.35) -> list[tuple[float, float]]:
    """Stretches of sound joined across the short gaps between spoken words."""
    joined: list[tuple[float, float]] = []
    for start, end in sounds:
        if joined and start - joined[-1][1] < gap:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined
