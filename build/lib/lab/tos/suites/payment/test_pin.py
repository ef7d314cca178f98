"""Above the limit (¥200) a charge waits for the PIN on the device: keyed through its UI,
it pays; three wrong PINs lock the wallet."""

from __future__ import annotations

import allure
import pytest

from lab.cloud.http import ApiRefused
from lab.tos import data
from lab.tos.screens import payment as screens

pytestmark = [pytest.mark.requires("payment", "qr_pay"), pytest.mark.requirement("5.1/W-0-2")]


@allure.title("¥300.00 waits for the PIN, keyed on the device")
def test_the_pin_pays_above_the_limit(dut, wallet, shop, sandbox, pin, attach):
    code = screens.show_code(dut, attach)
    charge = shop.micropay(code, amount=30_000, description="Headphones")
    assert charge["status"] == "requires_pin"
    with allure.step("the device asks for the PIN, showing the amount"):
        assert dut.ui.exists(timeout=10, resourceId=screens.rid("pin_amount_value"))
        assert dut.ui.text(resourceId=screens.rid("pin_amount_value")) == "¥300.00"
        screens.snap(dut, attach, "PIN pad")
        # the wallet tells the sandbox it prompts while its pad opens: the till polls
        shop.await_charge(charge["id"], "userpaying", timeout=5)
    screens.enter_pin(dut, pin)
    assert screens.banner(dut, ok=True)["amount"] == "¥300.00"
    assert shop.charge(charge["id"])["status"] == "succeeded"
    assert sandbox.account(wallet.account)["balance"] == 20_000


@allure.title("three wrong PINs lock the wallet")
def test_three_wrong_pins_lock_the_wallet(dut, wallet, shop, sandbox, attach):
    code = screens.show_code(dut, attach)
    charge = shop.micropay(code, amount=25_000, description="Coat")
    wrong = data.payment()["wrong_pins"]
    screens.enter_pin(dut, wrong[0])
    with allure.step("the device says how many tries are left"):
        assert dut.ui.exists(
            timeout=10,
            resourceId=screens.rid("pin_status_value"),
            text="Wrong PIN, 2 attempts left",
        )
        screens.snap(dut, attach, "wrong PIN")
    screens.enter_pin(dut, wrong[1])
    assert dut.ui.exists(timeout=10, text="Wrong PIN, 1 attempt left")
    screens.enter_pin(dut, wrong[2])
    shown = screens.banner(dut, ok=False)
    assert shown["reason"] == "Wallet locked"
    screens.snap(dut, attach, "locked")
    refused = shop.charge(charge["id"])
    assert (refused["status"], refused["decline_reason"]) == ("declined", "wallet_locked")
    with allure.step("the pay screen shows no code while locked; the sandbox refuses"):
        screens.open_screen(dut, ".PayCode")
        assert dut.ui.exists(timeout=5, resourceId=screens.rid("status_value"))
        assert not dut.ui.exists(resourceId=screens.rid("qr"))
    assert sandbox.account(wallet.account)["balance"] == 50_000
    with pytest.raises(ApiRefused):
        shop.micropay(code, amount=100)
