"""A payment asked for by voice: always waits for the PIN (even under the PIN limit), pays
the named shop once the PIN is right, and a bad request names its field and changes
nothing."""

from __future__ import annotations

import pytest

from lab.cloud.http import ApiRefused, Client
from tests.payment_data import PIN


def wallet_api(wallet) -> Client:
    return Client(wallet.url, wallet.api_key)


def balance(sandbox, account: str) -> int:
    return sandbox.account(account)["balance"]


def test_a_voice_payment_waits_for_the_pin_then_pays_the_shop(sandbox, shop, wallet):
    api = wallet_api(wallet)
    last = max([e["id"] for e in api.get("/v1/wallet/events", after=0)["data"]], default=0)
    asked = api.post("/v1/wallet/payments", {"amount": 2000, "merchant": shop.id})
    assert (asked["status"], asked["channel"], asked["amount"]) == ("requires_pin", "voice", 2000)
    assert wallet.pin_limit > 2000, "the PIN is asked although the amount is under the limit"
    events = api.get("/v1/wallet/events", after=last)["data"]
    assert [(e["kind"], e.get("amount")) for e in events] == [("pin_required", 2000)]
    assert balance(sandbox, shop.account) == 0, "nothing moves before the PIN"
    paid = api.post(f"/v1/wallet/charges/{asked['id']}/pin", {"pin": PIN})
    assert paid["status"] == "succeeded"
    assert balance(sandbox, shop.account) == 2000
    assert balance(sandbox, wallet.account) == 50_000 - 2000
    assert shop.charge(asked["id"])["status"] == "succeeded"


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"amount": 0, "merchant": "SHOP"}, "amount", 400),
        ({"amount": "20", "merchant": "SHOP"}, "amount", 400),
        ({"amount": 2000}, "merchant", 400),
        ({"amount": 2000, "merchant": "mch_nobody"}, "merchant", 404),
        ({"amount": 2000, "merchant": "SHOP", "pin": PIN}, "pin", 400),
    ],
)
def test_a_bad_voice_payment_names_the_field_and_changes_nothing(
    sandbox, shop, wallet, body, field, status
):
    body = {k: (shop.id if v == "SHOP" else v) for k, v in body.items()}
    before = sandbox.account(wallet.account)
    with pytest.raises(ApiRefused) as refused:
        wallet_api(wallet).post("/v1/wallet/payments", body)
    assert refused.value.status == status
    assert refused.value.param == field or field in str(refused.value)
    assert PIN not in str(refused.value)
    assert sandbox.account(wallet.account) == before


def test_only_a_wallet_pays_by_voice(shop):
    with pytest.raises(ApiRefused) as refused:
        shop.api.post("/v1/wallet/payments", {"amount": 2000, "merchant": shop.id})
    assert refused.value.status == 403
