"""The wallet in Simplified Chinese: the banner reads 支付成功, in the hierarchy and by OCR."""

from __future__ import annotations

import allure
import pytest

from lab.tos.screens import payment as screens
from lab.tos.screens.settings import set_language

pytestmark = [pytest.mark.requires("payment", "qr_pay"), pytest.mark.requirement("5.5/W-1-1")]


@allure.title("支付成功: the banner in Chinese")
def test_the_banner_in_chinese(dut, wallet, shop, attach):
    set_language(dut, "zh")
    try:
        code = screens.show_code(dut, attach)
        shop.micropay(code, amount=2000, description="奶茶")
        shown = screens.banner(dut, ok=True, language="zh")
        assert shown["amount"] == "¥20.00"
        screens.snap(dut, attach, "支付成功")
        dut.screen.wait_text("支付成功", timeout=10)
    finally:
        set_language(dut, "en")
