"""The payment suite's parts: the sandbox (from the inventory), a shop with its own key,
and per test a fresh wallet provisioned in the sandbox and configured on the device."""

from __future__ import annotations

from pathlib import Path

import allure
import pytest
import yaml

from lab.cloud.payment import Merchant, PaymentSandbox, WalletAccess
from lab.pay.wallet import provision
from lab.redaction import register

DATA = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "fixtures" / "payment" / "test_data.yaml").read_text()
)
register(DATA["pin"], "PIN")
register(DATA["card_number"], "card number")


@pytest.fixture(scope="session")
def sandbox(lab_inventory) -> PaymentSandbox:
    return PaymentSandbox.of(lab_inventory)


@pytest.fixture
def shop(sandbox: PaymentSandbox) -> Merchant:
    return sandbox.merchant("TOS+ Lab Coffee")


@pytest.fixture
def pin() -> str:
    return DATA["pin"]


@pytest.fixture
def wallet(dut, sandbox: PaymentSandbox) -> WalletAccess:
    """A fresh wallet (¥500.00, the test PIN and card) configured on the device."""
    with allure.step("a fresh wallet in the sandbox, configured on the device over adb"):
        access = provision(
            dut, sandbox, DATA["pin"], DATA["card_number"], DATA["balance"], DATA["pin_limit"]
        )
    yield access
    dut.ui.press("home")


def wallet_with(dut, sandbox: PaymentSandbox, balance: int) -> WalletAccess:
    return provision(dut, sandbox, DATA["pin"], DATA["card_number"], balance, DATA["pin_limit"])
