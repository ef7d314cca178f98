"""The multi-device suite's parts: a fresh game on the TV before each test, and each
phone's remote and camera left clean after it."""

from __future__ import annotations

import allure
import pytest

from lab import rig
from lab.gamepad.pairing import new_game


@pytest.fixture
def game(duts):
    """A fresh game on the `screen` device; the phones' cameras cleared after."""
    with allure.step(f"a fresh game on {duts['screen'].id}"):
        new_game(duts["screen"])
    yield duts
    for role, dut in duts.items():
        if role != "screen":
            rig.open(dut, "camera").clear()
            dut.shell(["svc", "wifi", "enable"])
            dut.ui.press("home")
    new_game(duts["screen"])  # the phones' links go with the old game
