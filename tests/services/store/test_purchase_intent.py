"""A purchase is written before the store asks the payment sandbox for anything, so that
money moves once: devices of one account buying at once meet on one purchase and one
order; a refund refused for its request moves no money; a purchase whose order closed
unpaid ends, and the app can be bought again; a refund the sandbox refuses leaves the
purchase as it was, and a later one succeeds."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from lab.cloud.http import ApiRefused
from tests.payment_data import CARD, PIN
from tests.services.store.conftest import PHONE


def uid() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture
def paid_app(store, make_apk):
    studio = store.developer(f"Studio {uid()}")
    package = f"com.studio.pro{uid()}"
    studio.create_app(package, "Pro", price=500)
    studio.upload(package, make_apk(package, 1))
    return package


@pytest.fixture
def family(store, sandbox):
    """An account with two phones; the first has a wallet of ¥100."""
    account = store.account(f"Family {uid()}")
    phones = []
    for _ in range(2):
        phone_id = f"phone-{uid()}"
        phones.append(store.device(phone_id, account, "phone", PHONE, 33).client())
    wallet = sandbox.wallet(phone_id, PIN, CARD, balance=10_000)
    return {"phones": phones, "wallet": wallet}


def test_two_devices_buying_at_once_pay_once(store, sandbox, paid_app, family):
    phones, wallet = family["phones"], family["wallet"]
    with ThreadPoolExecutor(8) as pool:
        bought = list(pool.map(lambda phone: phone.buy(paid_app), phones * 4))
    assert len({b["id"] for b in bought}) == 1, bought  # one purchase
    assert len({b["order"] for b in bought}) == 1  # one payment order
    order = bought[0]["order"]
    assert wallet.pay_order(order)["status"] == "succeeded"
    with pytest.raises(ApiRefused) as again:
        wallet.pay_order(order)
    assert again.value.code == "order_already_paid"
    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda phone: phone.complete(bought[0]["id"]), phones * 2))
    assert {d["status"] for d in done} == {"paid"}
    assert sandbox.account(wallet.account)["balance"] == 10_000 - 500
    assert all(phone.entitlements().count(paid_app) == 1 for phone in phones)
    assert store.audit()["balanced"]


def test_a_refund_refused_for_its_key_moves_no_money(store, sandbox, paid_app, family):
    phone, wallet = family["phones"][0], family["wallet"]
    purchase = phone.buy(paid_app)
    wallet.pay_order(purchase["order"])
    phone.complete(purchase["id"])
    response = httpx.post(
        f"{store.url}/v1/purchases/{purchase['id']}/refund",
        headers={"Authorization": f"Bearer {phone.api._http.headers['Authorization'][7:]}",
                 "Idempotency-Key": "k" * 256},
    )  # fmt: skip
    assert response.status_code == 400 and response.json()["error"]["param"] == "Idempotency-Key"
    after = store.purchase(purchase["id"])
    assert after["status"] == "paid" and after["revenue"][-1]["kind"] == "sale"
    charge = sandbox.admin.get(f"/v1/charges/{after['charge']}")
    assert charge["amount_refunded"] == 0
    assert sandbox.account(wallet.account)["balance"] == 10_000 - 500
    assert paid_app in phone.entitlements()


def test_a_purchase_whose_order_closed_unpaid_ends(store, sandbox, paid_app, family):
    phone, wallet = family["phones"][0], family["wallet"]
    first = phone.buy(paid_app)
    sandbox.close_order(first["order"])  # as if it had expired
    with pytest.raises(ApiRefused) as late:
        phone.complete(first["id"])
    assert late.value.code == "payment_expired"
    second = phone.buy(paid_app)
    assert second["id"] != first["id"] and second["order"] != first["order"]
    assert store.purchase(first["id"])["status"] == "expired"
    with pytest.raises(ApiRefused):
        wallet.pay_order(first["order"])
    wallet.pay_order(second["order"])
    assert phone.complete(second["id"])["status"] == "paid"
    assert sandbox.account(wallet.account)["balance"] == 10_000 - 500


def test_a_refund_the_sandbox_refuses_changes_nothing_and_can_be_tried_again(
    store, sandbox, paid_app, family
):
    phone, wallet = family["phones"][0], family["wallet"]
    purchase = phone.buy(paid_app)
    wallet.pay_order(purchase["order"])
    phone.complete(purchase["id"])
    sandbox.refuse_requests("/v1/refunds", status=503)
    try:
        with pytest.raises(ApiRefused) as refused:
            phone.refund(purchase["id"])
    finally:
        sandbox.clear_faults()
    assert (refused.value.status, refused.value.code) == (502, "payment_refused")
    assert store.purchase(purchase["id"])["status"] == "paid"
    assert paid_app in phone.entitlements()
    assert sandbox.account(wallet.account)["balance"] == 10_000 - 500
    assert phone.refund(purchase["id"])["status"] == "refunded"  # a new key: not the refusal
    assert phone.refund(purchase["id"])["status"] == "refunded"  # and once only
    assert sandbox.account(wallet.account)["balance"] == 10_000
    assert paid_app not in phone.entitlements()
    assert store.audit()["balanced"]
