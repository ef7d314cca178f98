"""A paid app bought in the wallet (the PIN asked above its limit), installed, the sale
split 85/15 in the developer's statement; a refund revokes it and reverses the split."""

from __future__ import annotations

import time

import allure
import pytest

from lab.tos import data
from lab.tos.screens import store as screens
from lab.tos.screens.payment import enter_pin

pytestmark = [pytest.mark.requires("store", "payment"), pytest.mark.requirement("8.1/P-0-1")]
PRICE = 25_000  # ¥250.00: above the wallet's ¥200 limit, so the PIN is asked


def buy(dut, package: str, attach) -> None:
    screens.details(dut, package)
    screens.press(dut, "buy")
    with allure.step("the wallet asks to confirm ¥250.00, then the PIN"):
        assert dut.ui.exists(timeout=10, resourceId="com.tos.wallet:id/confirm_amount_value")
        assert dut.ui.text(resourceId="com.tos.wallet:id/confirm_amount_value") == "¥250.00"
        dut.ui.tap(resourceId="com.tos.wallet:id/confirm")
        enter_pin(dut, data.payment()["pin"])
        assert dut.ui.exists(timeout=15, text="Payment successful")
        screens.snap(dut, attach, "paid")
        dut.ui.tap(resourceId="com.tos.wallet:id/done")


@allure.title("a paid app: bought in the wallet, installed, the sale split 85/15")
def test_a_paid_app_is_bought_and_split(dut, member, wallet, shelf, attach):
    package, _ = shelf.publish("Chess", price=PRICE)
    buy(dut, package, attach)
    screens.details(dut, package)
    screens.wait_installed(dut, package)
    with allure.step("the developer's statement: gross 250.00, fee 37.50, net 212.50"):
        month = time.strftime("%Y-%m", time.gmtime())
        lines = [x for x in shelf.studio.statement(month)["lines"] if x["package"] == package]
        assert [(x["gross"], x["rate"], x["fee"], x["net"]) for x in lines] == [
            (PRICE, 15, 3_750, 21_250)
        ]
    assert package in member.client().entitlements()


@allure.title("a refund revokes the app and reverses the split")
def test_a_refund_revokes_the_entitlement(dut, member, wallet, shelf, attach, lab_inventory):
    from lab.cloud.payment import PaymentSandbox

    package, _ = shelf.publish("Maps", price=PRICE)
    buy(dut, package, attach)
    screens.details(dut, package)
    screens.wait_installed(dut, package)
    screens.press(dut, "refund")
    assert dut.ui.exists(timeout=15, resourceId=screens.rid("buy")), "it must be bought again"
    screens.snap(dut, attach, "refunded")
    assert package not in dut.adb.packages()
    assert package not in member.client().entitlements()
    sandbox = PaymentSandbox.of(lab_inventory)
    assert sandbox.account(wallet.account)["balance"] == data.payment()["balance"]
    month = time.strftime("%Y-%m", time.gmtime())
    lines = [x for x in shelf.studio.statement(month)["lines"] if x["package"] == package]
    assert [(x["kind"], x["gross"], x["net"]) for x in lines] == [
        ("sale", PRICE, 21_250),
        ("refund", -PRICE, -21_250),
    ]
