"""The answer card in Simplified Chinese, read back by OCR. Recognition stays English:
no registry package ships a Chinese model for pocketsphinx (docs/VOICE.md)."""

from __future__ import annotations

import allure
import pytest

from lab.tos.screens.settings import set_language
from lab.tos.turns import play
from lab.voice.utterance import Utterance

# the card is the same app on every class: one class with room for the text is enough
pytestmark = [pytest.mark.requires("voice", "microphone", "speaker"),
              pytest.mark.device_class("tv")]  # fmt: skip


@allure.title("正在打开设置: the card in Chinese, read by OCR")
def test_the_card_in_chinese(dut, rig, attach):
    set_language(dut, "zh")
    try:
        turn = play(dut, rig, Utterance("open settings"), attach)
        assert turn.heard == "open settings"
        assert turn.answer == "正在打开设置"
        attach.png(f"{dut.id}: 回答", dut.screenshot_png())
        dut.screen.wait_text("正在打开设置", timeout=10)
    finally:
        set_language(dut, "en")
