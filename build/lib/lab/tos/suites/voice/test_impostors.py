"""Phrases close to "Hi TOS", and commands without it, wake nothing: no tone, no answer."""

from __future__ import annotations

import allure
import pytest

from lab.tos.turns import play, record

pytestmark = [
    pytest.mark.requires("voice", "microphone", "speaker"),
    pytest.mark.requirement("6.1/C-1-2"),
]


@allure.title("impostor phrases wake nothing")
def test_impostors_wake_nothing(dut, rig, voice_data, voice_set, voice_figures, attach):
    woke = []
    for utterance in voice_data.plan(voice_set, dut.device_class).impostors:
        turn = play(dut, rig, utterance, attach, listen=1.5)
        record(voice_figures, dut, "impostor", turn, None)
        if turn.woke:
            woke.append(utterance.text)
    assert not woke, f"woke on {woke}"
