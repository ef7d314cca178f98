"""The sandbox refuses what it must and changes nothing when it does, on SQLite and on
PostgreSQL: a card's signed currency, cashback, type and date are checked; the longest
values every field allows go through every money route (PostgreSQL refuses an over-long
string where SQLite would keep it); a bad Idempotency-Key is refused before anything is
done; a refused value is named, never echoed, when it is a secret."""

from __future__ import annotations

import uuid

import httpx
import pytest

from lab.cloud.http import ApiRefused
from tests.payment_data import CARD, PIN
from tests.services.cards import USD, icc_data, transaction


def refused(call, status: int, code: str) -> ApiRefused:
    with pytest.raises(ApiRefused) as caught:
        call()
    assert (caught.value.status, caught.value.code) == (status, code), caught.value
    return caught.value


@pytest.fixture
def till(sandbox):
    return sandbox.merchant("Till " + "x" * 59)  # the longest name: 64


@pytest.fixture
def card_wallet(sandbox):
    return sandbox.wallet("d" * 64, PIN, CARD, balance=1_000_000, pin_limit=100_000)


@pytest.mark.parametrize(
    ("changes", "tag"),
    [
        ({"currency": USD}, "5F2A"),  # USD 20.00 signed, CNY 20.00 asked
        ({"other": 500}, "9F03"),  # cashback the request does not show
        ({"kind": 0x09}, "9C"),  # purchase with cashback
        ({"kind": 0x20}, "9C"),  # a refund
        ({"date": bytes.fromhex("200101")}, "9A"),  # a tap signed long ago
    ],
)
def test_a_tap_is_paid_only_as_the_card_signed_it(sandbox, till, card_wallet, changes, tag):
    before = sandbox.account(card_wallet.account)["balance"]
    signed = transaction(2000, **changes)
    error = refused(lambda: till.nfc_authorize(2000, icc_data(card_wallet, signed, 1)), 400,
                    "parameter_invalid")  # fmt: skip
    assert error.param == "icc_data" and tag in error.message
    assert sandbox.account(card_wallet.account)["balance"] == before
    honest = till.nfc_authorize(2000, icc_data(card_wallet, transaction(2000), 2))
    assert honest["status"] == "succeeded", honest
    assert sandbox.account(card_wallet.account)["balance"] == before - 2000


def test_the_longest_values_go_through_every_money_route(sandbox, till, card_wallet):
    """Every field at its longest, and what the sandbox makes from them (ledger memos of a
    charge and a refund), fit their columns on both databases."""
    description = "d" * 128
    key = "k" * 255
    order = till.order(99_999_999, description, key=key)
    assert till.order(99_999_999, description, key=key)["id"] == order["id"]  # replayed
    sandbox.top_up(card_wallet.id, 100_000_000)
    paid = card_wallet.pay_order(order["id"], PIN)
    assert paid["status"] == "succeeded", paid
    refund = till.refund(paid["id"], 1, reason="r" * 128, key="r" + key[1:])
    assert refund["amount"] == 1
    charge = till.nfc_authorize(
        100, icc_data(card_wallet, transaction(100), 7), description=description
    )
    assert charge["status"] == "succeeded", charge
    memos = [t["memo"] for t in sandbox.account(card_wallet.account)["transactions"]]
    assert all(len(memo) <= 128 for memo in memos) and any(m.endswith("…") for m in memos)
    assert sandbox.audit()["balanced"]


def test_a_bad_idempotency_key_is_refused_before_anything_is_done(sandbox, till, card_wallet):
    order = till.order(500, "coffee")
    for bad in ("k" * 256, "tab\there"):
        response = httpx.post(
            f"{sandbox.url}/v1/wallet/orders/{order['id']}/pay",
            json={},
            headers={"Authorization": f"Bearer {card_wallet.api_key}", "Idempotency-Key": bad},
        )
        assert response.status_code == 400, response.text
        assert response.json()["error"]["param"] == "Idempotency-Key"
    assert till.order_status(order["id"])["status"] == "pending"


SECRET_BODIES = [
    ("/v1/admin/wallets", {"device": "w", "pin": 482915, "card_number": CARD}, "482915"),
    ("/v1/admin/wallets", {"device": "w", "pin": "482915", "card_number": "4" + CARD}, CARD),
    ("/v1/admin/wallets", {"device": "w", "pinn": "482915", "pin": PIN, "card_number": CARD},
     "482915"),
    ("/v1/micropay", {"auth_code": 134567890123456789012345678901234}, "1345678901234"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body", "secret"), SECRET_BODIES)
def test_a_refused_secret_is_named_not_echoed(sandbox, till, path, body, secret):
    key = till.key if path == "/v1/micropay" else sandbox.admin._http.headers["Authorization"][7:]
    response = httpx.post(
        f"{sandbox.url}{path}",
        json=body,
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 400, response.text
    assert secret not in response.text
    assert response.json()["error"]["param"]  # the field is still named


def test_a_refused_ordinary_value_is_still_shown(sandbox, till):
    response = httpx.post(
        f"{sandbox.url}/v1/orders",
        json={"amount": "20", "description": "tea"},
        headers={"Authorization": f"Bearer {till.key}"},
    )
    assert response.status_code == 400 and "found '20'" in response.json()["error"]["message"]
