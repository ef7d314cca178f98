"""A phone pays: the shop scans the payment code on its screen (the kit's page objects
and the lab's `wallet` and `shop` fixtures do the setting up)."""

from __future__ import annotations

import pytest

from lab.tos.screens import payment as screens

pytestmark = [pytest.mark.device_class("phone"), pytest.mark.requires("payment", "qr_pay")]


def test_the_shop_charges_the_code_on_screen(dut, wallet, shop, attach):
    code = screens.show_code(dut, attach)
    charge = shop.micropay(code, amount=1200, description="Tea")
    assert charge["status"] == "succeeded"
    assert screens.banner(dut, ok=True)["amount"] == "¥12.00"
