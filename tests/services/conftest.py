"""The payment sandbox of the test farm, a merchant and a fresh wallet per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.cloud.payment import Merchant, PaymentSandbox, WalletAccess
from lab.protocols.pan import with_check_digit

PIN = "274653"
CARD = with_check_digit("621700123456789")  # a UnionPay-like test number (Luhn-valid)


@pytest.fixture(scope="session")
def sandbox(sandbox_url, home) -> PaymentSandbox:
    key = Path(home.env["LAB_RUNTIME_DIR"]) / "services" / "payment.admin-key"
    return PaymentSandbox(sandbox_url, key.read_text().strip())


@pytest.fixture
def shop(sandbox: PaymentSandbox) -> Merchant:
    return sandbox.merchant("Test Coffee")


@pytest.fixture
def wallet(sandbox: PaymentSandbox) -> WalletAccess:
    return sandbox.wallet("t-watch", PIN, CARD, balance=50_000)
