"""The Settings screen looks like its reviewed golden (clock and battery masked)."""

from __future__ import annotations

import allure
import pytest

pytestmark = pytest.mark.requirement("4.2/C-0-1")


@allure.title("settings screen matches its golden")
def test_settings_matches_golden(dut):
    # the state the golden shows: Wi-Fi on, brightness 50 %
    dut.shell("settings put global wifi_on 1", check=True)
    dut.shell("settings put system screen_brightness 128", check=True)
    dut.shell("am start -n com.tos.settings/.Settings", check=True)
    dut.ui.exists(timeout=5, resourceId="com.tos.settings:id/wifi")
    dut.screen.assert_matches("settings")
    dut.ui.press("home")
