"""Launcher to Settings and back through the UI: by touch, or by D-pad on devices without
a touch screen."""

from __future__ import annotations

import allure
import pytest

pytestmark = pytest.mark.requirement("4.1/C-0-1")

LAUNCHER = "com.tos.launcher"
SETTINGS = "com.tos.settings"


@allure.title("launcher -> settings -> back")
def test_launcher_to_settings_and_back(dut, attach):
    ui = dut.ui
    with allure.step("go home"):
        ui.press("home")
        assert ui.current_app()["package"] == LAUNCHER
    with allure.step("open Settings"):
        if dut.info.has("touch"):
            ui.tap(text="Settings")
        else:
            while ui.focused() != f"{LAUNCHER}:id/app_settings":
                ui.press("left")
            ui.press("enter")
        assert ui.exists(timeout=5, resourceId=f"{SETTINGS}:id/wifi")
        assert ui.current_app()["package"] == SETTINGS
        attach.png("settings", dut.screenshot())
    with allure.step("back to the launcher"):
        ui.press("back")
        assert ui.current_app()["package"] == LAUNCHER
