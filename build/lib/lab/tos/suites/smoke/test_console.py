"""The serial console answers."""

from __future__ import annotations

import allure
import pytest

pytestmark = pytest.mark.requirement("3.4/C-0-1")


@allure.title("console prompt answers getprop")
@pytest.mark.requires("console")
def test_console_answers(dut):
    answer = dut.console.run("getprop ro.product.model", timeout=10)
    assert answer == dut.info.model
