"""Refunds come back to the device (a toast, the transaction list) and the balance; a
charge the balance cannot cover is declined with its reason, on the device too."""

from __future__ import annotations

import allure
import pytest

from lab.tos.scenarios import fresh_wallet
from lab.tos.screens import payment as screens

pytestmark = [pytest.mark.requires("payment", "qr_pay"), pytest.mark.requirement("5.3/W-0-1")]


@allure.title("a partial then a full refund show on the device")
def test_refunds_show_on_the_device(dut, wallet, shop, sandbox, attach):
    code = screens.show_code(dut, attach)
    charge = shop.micropay(code, amount=5000, description="Lunch")
    screens.banner(dut, ok=True)
    with allure.step("the shop refunds ¥20.00; the device says so"):
        shop.refund(charge["id"], 2000, reason="cold soup")
        assert dut.ui.exists(timeout=10, text="Refund ¥20.00 received"), "no refund toast"
        screens.snap(dut, attach, "refund toast")
    with allure.step("then the rest"):
        rest = shop.refund(charge["id"])
        assert rest["amount"] == 3000
        assert dut.ui.exists(timeout=10, text="Refund ¥30.00 received")
        assert dut.ui.gone(timeout=10, text="Refund ¥30.00 received"), "the toast stays"
    with allure.step("the transaction list shows the payment and both refunds"):
        shown = screens.transactions(dut)
        screens.snap(dut, attach, "transactions")
        assert shown[:3] == ["+¥30.00", "+¥20.00", "-¥50.00"], shown
    assert sandbox.account(wallet.account)["balance"] == 50_000
    assert shop.charge(charge["id"])["refunded"] is True


@allure.title("insufficient balance: declined, with the reason on the device")
def test_a_decline_shows_its_reason(dut, sandbox, shop, attach):
    poor = fresh_wallet(dut, sandbox, balance=1000)
    code = screens.show_code(dut, attach)
    charge = shop.micropay(code, amount=2000, description="Dinner")
    assert (charge["status"], charge["decline_reason"]) == ("declined", "insufficient_balance")
    shown = screens.banner(dut, ok=False)
    assert (shown["amount"], shown["reason"]) == ("¥20.00", "Insufficient balance")
    screens.snap(dut, attach, "declined")
    assert sandbox.account(poor.account)["balance"] == 1000
    dut.ui.press("home")
