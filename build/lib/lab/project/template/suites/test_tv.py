"""A TV: no touch screen, so the D-pad moves the focus."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.device_class("tv")


def test_the_dpad_reaches_settings(dut):
    ui = dut.ui
    ui.press("home")
    for _ in range(12):  # a bounded walk along the launcher's row
        if ui.focused() == "com.tos.launcher:id/app_settings":
            break
        ui.press("left")
    ui.press("enter")
    assert ui.exists(timeout=5, resourceId="com.tos.settings:id/wifi")
    ui.press("home")
