"""A headset: one picture per eye; each eye shows the same QR code of the build."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.device_class("headset")


def test_each_eye_shows_the_build(dut, attach):
    dut.shell(["am", "start", "-n", "com.tos.settings/.About"], check=True)
    assert dut.ui.exists(timeout=5, resourceId="com.tos.settings:id/qr")
    attach.png("about", dut.screenshot())
    codes = dut.screen.qr_codes()
    assert len(codes) == 2 and {c.text for c in codes} == {dut.getprop("ro.build.fingerprint")}
    dut.ui.press("home")
