"""The Settings app as the kit's suites drive it."""

from __future__ import annotations

import allure

from lab.device.dut import Dut


def set_language(dut: Dut, code: str) -> None:
    """Settings > Language > `code` (en, zh)."""
    with allure.step(f"Settings > Language > {code}"):
        dut.shell(["am", "start", "-n", "com.tos.settings/.Language"], check=True)
        dut.ui.tap(resourceId=f"com.tos.settings:id/lang_{code}")
