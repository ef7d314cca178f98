"""Each turn of the device's plan (--voice-set): a command after "Hi TOS" is recognised,
acted on, shown on the answer card and spoken; "Hi TOS" alone brings the listening tone
and screen. Every turn attaches what went into the microphone and what the speaker said."""

from __future__ import annotations

import allure
import pytest

from lab.assistant.turn import LISTEN, rid
from lab.tos.turns import play, record, spoken_answer

pytestmark = [
    pytest.mark.requires("voice", "microphone", "speaker"),
    pytest.mark.requirement("6.1/C-1-1"),
]


def test_turn(dut, rig, slot, voice_data, voice_set, voice_figures, attach):
    command, utterance = voice_data.plan(voice_set, dut.device_class).turns[slot]
    allure.dynamic.title(f"{utterance.label} on {dut.id}")
    turn = play(dut, rig, utterance, attach, listen=2.5 if command is None else LISTEN)
    if command is None:
        record(voice_figures, dut, "wake", turn, None)
        assert turn.tone_at is not None, "no listening tone after the wake phrase"
        attach.png(f"{dut.id}: listening", dut.screenshot_png())
        assert dut.ui.exists(timeout=3, resourceId=rid("listening_value")), (
            "the listening screen is not up after the wake phrase"
        )
        return
    attach.png(f"{dut.id}: answer card", dut.screenshot_png())
    problems = []
    if not turn.woke:
        problems.append("no listening tone and no answer: the wake phrase was not heard")
    elif turn.heard != command.say:
        problems.append(f"the card says it heard {turn.heard!r}, not {command.say!r}")
    elif not command.card_matches(turn.answer):
        problems.append(f"the card answers {turn.answer!r}, expected "
                        f"{command.card or command.card_pattern!r}")  # fmt: skip
    if turn.woke and command.speaks:
        heard, wer = spoken_answer(turn, command, voice_data, attach)
        if wer > 0:
            problems.append(f"it said {heard!r}, expected {command.speaks!r} (WER {wer:.2f})")
    if not problems:
        problems += _effects(dut, command.then)
    record(voice_figures, dut, "command", turn, not problems)
    assert not problems, "; ".join(problems)


def _effects(dut, then: dict) -> list[str]:
    """What must be true after the command (the app on top, a setting)."""
    found = []
    if "top" in then:
        dut.ui.tap(resourceId=rid("done"))  # the card goes; what it opened is below it
        dut.ui.gone(timeout=5, resourceId=rid("answer_value"))
        top = dut.ui.current_app().get("package")
        if top != then["top"]:
            found.append(f"{then['top']} is not on top ({top} is)")
    if "setting" in then:
        namespace, key, value = then["setting"]
        got = dut.shell(["settings", "get", namespace, key], check=True).stdout.strip()
        if got != value:
            found.append(f"setting {namespace}/{key} is {got!r}, expected {value!r}")
    return found
