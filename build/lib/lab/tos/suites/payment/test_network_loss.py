"""The device losing the sandbox mid-payment: nothing is charged while it cannot reach
it, and exactly one charge after it can again, whether the request never left (airplane
mode) or its reply was lost after the charge went through (a held reply)."""

from __future__ import annotations

import time

import allure
import pytest

from lab.tos.screens import payment as screens

pytestmark = [pytest.mark.requires("payment", "qr_pay"), pytest.mark.requirement("5.4/W-0-1")]


def charges(sandbox, account: str) -> list[int]:
    return [t["amount"] for t in sandbox.account(account)["transactions"] if t["kind"] == "charge"]


@allure.title("airplane mode while the PIN is keyed: no charge, then exactly one")
def test_no_network_then_one_charge(dut, wallet, shop, sandbox, pin, attach):
    code = screens.show_code(dut, attach)
    charge = shop.micropay(code, amount=21_000, description="Shoes")
    assert dut.ui.exists(timeout=10, resourceId=screens.rid("pin_amount_value"))
    shop.await_charge(charge["id"], "userpaying", timeout=5)
    try:
        with allure.step("the device loses the network"):
            dut.shell(["cmd", "connectivity", "airplane-mode", "enable"], check=True)
        screens.enter_pin(dut, pin)
        with allure.step("it says it waits; the sandbox has charged nothing"):
            assert dut.ui.exists(timeout=10, text="Waiting for network…")
            screens.snap(dut, attach, "waiting for network")
            assert shop.charge(charge["id"])["status"] == "userpaying"
            assert charges(sandbox, wallet.account) == []
    finally:
        with allure.step("the network comes back"):
            dut.shell(["cmd", "connectivity", "airplane-mode", "disable"], check=True)
    assert screens.banner(dut, ok=True, timeout=15)["amount"] == "¥210.00"
    assert shop.charge(charge["id"])["status"] == "succeeded"
    assert charges(sandbox, wallet.account) == [-21_000]


@allure.title("the reply is lost after the charge: the retry charges nothing more")
def test_a_lost_reply_charges_once(dut, wallet, shop, sandbox, pin, attach):
    code = screens.show_code(dut, attach)
    charge = shop.micropay(code, amount=22_000, description="Jacket")
    assert dut.ui.exists(timeout=10, resourceId=screens.rid("pin_amount_value"))
    replays = sandbox.replays(wallet.id)
    sandbox.hold_replies("/v1/wallet/charges/*/pin", seconds=10, caller=wallet.id)
    try:
        screens.enter_pin(dut, pin)
        with allure.step("the charge goes through; the reply to the device is held back"):
            deadline = time.monotonic() + 10
            while shop.charge(charge["id"])["status"] != "succeeded":
                assert time.monotonic() < deadline, "the PIN never reached the sandbox"
                time.sleep(0.2)
    finally:
        sandbox.clear_faults(caller=wallet.id)
    # the device hears of it from its events, while its own request retries under its key
    assert screens.banner(dut, ok=True, timeout=20)["amount"] == "¥220.00"
    with allure.step("the device retries under its key; the sandbox replays, charges nothing"):
        deadline = time.monotonic() + 30
        while sandbox.replays(wallet.id) == replays:
            assert time.monotonic() < deadline, "the device never retried its lost request"
            time.sleep(0.5)
    assert charges(sandbox, wallet.account) == [-22_000]
    assert sandbox.account(wallet.account)["balance"] == 28_000
