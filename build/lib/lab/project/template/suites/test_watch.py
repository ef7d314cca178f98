"""A watch: its Settings by touch, and its console."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.device_class("watch")


def test_settings_opens_by_touch(dut, attach):
    dut.ui.press("home")
    dut.ui.tap(text="Settings")  # as a finger would; ids: `lab device ui watch-1`
    assert dut.ui.exists(timeout=5, resourceId="com.tos.settings:id/wifi")
    attach.png("settings", dut.screenshot())


@pytest.mark.requires("console")
def test_the_console_answers(dut):
    assert dut.console.run("getprop ro.product.model") == dut.info.model
