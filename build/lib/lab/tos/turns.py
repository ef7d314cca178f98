"""Playing a turn for a test: the utterance, the device's recording and the transcript
attached to the report, and the trial added to the device's figures."""

from __future__ import annotations

import re

import allure

from lab.assistant.metrics import Figures, Trial
from lab.assistant.sets import Command, VoiceData
from lab.assistant.turn import LISTEN, Turn, ask
from lab.voice.speech import wav_bytes
from lab.voice.transcribe import word_error_rate
from lab.voice.utterance import Utterance


def condition(utterance: Utterance) -> str:
    return "quiet" if utterance.noise == "none" else f"{utterance.noise} {utterance.snr_db:g} dB"


def play(dut, rig, utterance: Utterance, attach, listen: float = LISTEN) -> Turn:
    with allure.step(f"say {utterance.label}"):
        turn = ask(dut, rig, utterance, listen)
    attach.wav("utterance (into the microphone)", wav_bytes(turn.exchange.sent))
    attach.wav(f"{dut.id}: its speaker", wav_bytes(turn.exchange.heard))
    return turn


def spoken_answer(turn: Turn, command: Command, data: VoiceData, attach) -> tuple[str, float]:
    """The answer as heard, among every answer the suite knows (so another answer is
    heard as that one), and its word error rate against the expected one."""
    phrases = sorted({c.speaks for c in data.commands if c.speaks})
    heard = turn.spoken(phrases)
    wer = word_error_rate(command.speaks or "", heard)
    attach.text(
        "spoken answer",
        f"expected: {command.speaks!r}\nheard:    {heard!r}\nWER:      {wer:.2f}\n"
        f"latency:  {_s(turn.latency)}\nwake-word detection delay: {_s(turn.wake_delay)}",
    )
    return heard, wer


def recognition_ms(dut, turn: Turn) -> float | None:
    """The device's own figure for its final decoding of this turn, from its log (a
    device that does not log it gives None)."""
    if not turn.heard:
        return None
    log = dut.shell(["logcat", "-d", "-t", "20", "-s", "TosAssistant"]).stdout
    found = re.findall(rf"heard {re.escape(repr(turn.heard))} .*\(recognised in (\d+) ms\)", log)
    return float(found[-1]) if found else None


def record(figures: dict[str, Figures], dut, kind: str, turn: Turn, correct: bool | None) -> None:
    u = turn.utterance
    figures.setdefault(dut.id, Figures(dut.id)).trials.append(
        Trial(
            kind,
            condition(u),
            f"{u.voice.name} {u.voice.speed}",
            u.text,
            turn.woke,
            correct,
            turn.wake_delay,
            turn.latency,
            recognition_ms(dut, turn),
        )
    )


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f} s"
