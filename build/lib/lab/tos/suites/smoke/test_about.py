"""About device shows the build it runs: its QR code decodes to ro.build.fingerprint."""

from __future__ import annotations

import allure
import pytest

pytestmark = pytest.mark.requirement("3.1/C-0-2")


@allure.title("About's QR code is the build fingerprint")
def test_about_qr_is_the_build_fingerprint(dut):
    fingerprint = dut.getprop("ro.build.fingerprint")
    dut.shell("am start -n com.tos.settings/.About", check=True)
    assert dut.ui.exists(timeout=5, resourceId="com.tos.settings:id/qr"), "About shows no QR code"
    codes = dut.screen.qr_codes()
    assert codes, "the About screen's QR code does not decode"
    assert {code.text for code in codes} == {fingerprint}, "the QR code is another build's"
    dut.ui.press("home")
