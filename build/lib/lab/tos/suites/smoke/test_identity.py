"""The device is who the inventory says, and it has booted."""

from __future__ import annotations

import allure
import pytest


@allure.title("model, platform and boot state match the inventory")
@pytest.mark.requirement("3.1/C-0-1")
def test_identity_and_boot(dut):
    with allure.step("read identity properties"):
        model = dut.getprop("ro.product.model")
        platform = dut.getprop("tos.platform")
        fingerprint = dut.getprop("ro.build.fingerprint")
    assert model == dut.info.model
    assert platform == dut.info.platform
    assert fingerprint.count("/") >= 4, f"odd build fingerprint {fingerprint!r}"
    assert dut.getprop("sys.boot_completed") == "1"


@allure.title("display size reported by the device matches the inventory")
@pytest.mark.requirement("3.2/C-0-1")
def test_display_size(dut):
    size = dut.shell("wm size", check=True).stdout
    expected = f"{dut.info.display.width}x{dut.info.display.height}"
    assert expected in size
