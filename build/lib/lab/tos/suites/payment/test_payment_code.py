"""The customer-presented code (付款码): the shop scans the code on the device's screen and
charges it; the device shows the result. A code pays once and a fresh one replaces it;
a code expires after 60 s."""

from __future__ import annotations

import time

import allure
import pytest

from lab.cloud.http import ApiRefused
from lab.tos.screens import payment as screens

pytestmark = [pytest.mark.requires("payment", "qr_pay"), pytest.mark.requirement("5.1/W-0-1")]


@allure.title("a payment code pays ¥20.00 and the device shows it")
def test_the_shop_charges_the_code_on_screen(dut, wallet, shop, sandbox, attach):
    code = screens.show_code(dut, attach)
    with allure.step("the shop charges ¥20.00 to the code (micropay)"):
        charge = shop.micropay(code, amount=2000, description="Latte")
        assert (charge["status"], charge["amount"]) == ("succeeded", 2000)
    with allure.step("the device shows the banner, in its hierarchy and on its pixels"):
        shown = screens.banner(dut, ok=True)
        assert (shown["amount"], shown["merchant"]) == ("¥20.00", "TOS+ Lab Coffee")
        screens.snap(dut, attach, "result banner")
        dut.screen.wait_text("Payment successful", timeout=10)  # OCR: what a person sees
        dut.screen.wait_text("20.00", timeout=5)
    with allure.step("the books: ¥20.00 moved, once"):
        account = sandbox.account(wallet.account)
        assert account["balance"] == 48_000
        assert [t["amount"] for t in account["transactions"] if t["kind"] == "charge"] == [-2000]


@allure.title("a code pays once; the device shows a fresh one")
def test_a_code_is_single_use(dut, wallet, shop, sandbox, attach):
    first = screens.show_code(dut, attach)
    shop.micropay(first, amount=500, description="Water")
    screens.banner(dut, ok=True)
    with allure.step("the same code again is refused"):
        with pytest.raises(ApiRefused) as refused:
            shop.micropay(first, amount=500, description="Water again")
        assert refused.value.code == "auth_code_used"
    with allure.step("the pay screen shows another code"):
        second = screens.show_code(dut, attach)
        assert second != first
    assert sandbox.account(wallet.account)["balance"] == 49_500


@pytest.mark.device_class("watch")  # a minute of waiting: one class shows it
@allure.title("a code expires after 60 s and the screen refreshes it")
def test_a_code_expires_and_is_refreshed(dut, wallet, shop, attach):
    first = screens.show_code(dut, attach)
    with allure.step("the screen shows a new code within 60 s"):
        deadline = time.monotonic() + 65
        current = first
        while current == first and time.monotonic() < deadline:
            time.sleep(1.0)
            current = dut.ui.text(resourceId=screens.rid("code_value")).replace(" ", "")
        assert current != first, "the code was not refreshed within 65 s"
        screens.snap(dut, attach, "refreshed code")
    with allure.step("the old code is refused as expired; the new one pays"):
        with pytest.raises(ApiRefused) as refused:
            shop.micropay(first, amount=100)
        assert refused.value.code == "auth_code_expired"
        assert shop.micropay(current, amount=100)["status"] == "succeeded"
