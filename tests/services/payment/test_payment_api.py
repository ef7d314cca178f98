"""The payment sandbox's API as a shop, a wallet and the lab use it: charges by payment
code, the PIN above the limit, orders scanned by a wallet, refunds, declines, and errors
that name the field and change nothing."""

from __future__ import annotations

import time

import httpx
import pytest

from lab.cloud.http import ApiRefused, Client
from lab.protocols import paycode
from tests.payment_data import PIN

_issued: dict[str, int] = {}


def code(wallet, at: int | None = None) -> str:
    """A fresh code of `wallet` (each one at a second of its own, as a wallet issues them)."""
    if at is None:
        at = min(int(time.time()), _issued.get(wallet.id, 10**12) - 1)
        _issued[wallet.id] = at
    return paycode.issue(wallet.code_secret, wallet.number, at)


def wallet_api(wallet) -> Client:
    return Client(wallet.url, wallet.api_key)


def balance(sandbox, account: str) -> int:
    return sandbox.account(account)["balance"]


def test_openapi_lists_the_public_api(sandbox):
    paths = httpx.get(f"{sandbox.url}/openapi.json").json()["paths"]
    for path in (
        "/v1/orders",
        "/v1/micropay",
        "/v1/refunds",
        "/v1/nfc/authorize",
        "/v1/charges/{charge_id}",
        "/v1/accounts/{account_id}",
        "/v1/orders/{order_id}",
    ):
        assert path in paths


def test_a_payment_code_pays_once(sandbox, shop, wallet):
    auth = code(wallet)
    charge = shop.micropay(auth, amount=2000, description="latte")
    assert (charge["status"], charge["amount"]) == ("succeeded", 2000)
    assert balance(sandbox, wallet.account) == 48_000
    assert shop.balance() == 2000
    with pytest.raises(ApiRefused) as used:
        shop.micropay(auth, amount=2000)
    assert (used.value.status, used.value.code, used.value.param) == (
        400,
        "auth_code_used",
        "auth_code",
    )
    assert balance(sandbox, wallet.account) == 48_000


def test_expired_malformed_and_unknown_codes_are_refused(shop, wallet):
    now = int(time.time())
    cases = {
        code(wallet, now - paycode.VALID_SECONDS - 5): "auth_code_expired",
        "99" + "0" * 16: "auth_code_invalid",  # not 10-15
        "12345": "auth_code_invalid",
        "13" + "00000000" + "12345678": "auth_code_invalid",  # no such wallet (or wrong otp)
    }
    for auth, expected in cases.items():
        with pytest.raises(ApiRefused) as refused:
            shop.micropay(auth, amount=100)
        assert refused.value.code == expected, auth


def test_above_the_limit_the_pin_is_asked_and_three_wrong_lock(sandbox, shop, wallet):
    charge = shop.micropay(code(wallet), amount=30_000, description="headphones")
    assert charge["status"] == "requires_pin"
    assert balance(sandbox, wallet.account) == 50_000  # nothing moves before the PIN
    api = wallet_api(wallet)
    events = api.get("/v1/wallet/events", after=0)["data"]
    assert [e["kind"] for e in events][-1] == "pin_required"
    assert api.post(f"/v1/wallet/charges/{charge['id']}/prompted")["status"] == "userpaying"
    for left in (2, 1):
        with pytest.raises(ApiRefused) as wrong:
            api.post(f"/v1/wallet/charges/{charge['id']}/pin", {"pin": "000000"})
        assert (wrong.value.code, wrong.value.body["error"]["attempts_left"]) == (
            "pin_incorrect",
            left,
        )
    with pytest.raises(ApiRefused) as locked:
        api.post(f"/v1/wallet/charges/{charge['id']}/pin", {"pin": "111111"})
    assert (locked.value.status, locked.value.code) == (403, "wallet_locked")
    assert shop.charge(charge["id"])["decline_reason"] == "wallet_locked"
    later = shop.micropay(code(wallet), amount=100)
    assert (later["status"], later["decline_reason"]) == ("declined", "wallet_locked")
    assert balance(sandbox, wallet.account) == 50_000
    assert PIN not in str(locked.value) and PIN not in str(wrong.value)


def test_the_right_pin_pays(sandbox, shop, wallet):
    charge = shop.micropay(code(wallet), amount=30_000)
    paid = wallet_api(wallet).post(f"/v1/wallet/charges/{charge['id']}/pin", {"pin": PIN})
    assert paid["status"] == "succeeded"
    assert balance(sandbox, wallet.account) == 20_000


def test_insufficient_balance_declines_and_moves_nothing(sandbox, shop, wallet):
    charge = shop.micropay(code(wallet), amount=20_000)
    charge2 = shop.micropay(code(wallet), amount=20_000)
    third = shop.micropay(code(wallet), amount=15_000)
    assert [c["status"] for c in (charge, charge2)] == ["succeeded", "succeeded"]
    assert (third["status"], third["decline_reason"]) == ("declined", "insufficient_balance")
    assert balance(sandbox, wallet.account) == 10_000
    assert len(sandbox.account(wallet.account)["transactions"]) == 3  # top-up and two charges


def test_partial_then_full_refunds_and_over_refund_changes_nothing(sandbox, shop, wallet):
    charge = shop.micropay(code(wallet), amount=5000)
    assert shop.refund(charge["id"], 1000)["amount"] == 1000
    with pytest.raises(ApiRefused) as over:
        shop.refund(charge["id"], 4001)
    assert (over.value.code, over.value.param) == ("amount_too_large", "amount")
    assert balance(sandbox, wallet.account) == 46_000
    assert shop.refund(charge["id"])["amount"] == 4000  # the rest
    with pytest.raises(ApiRefused) as again:
        shop.refund(charge["id"], 1)
    assert again.value.code == "charge_already_refunded"
    assert balance(sandbox, wallet.account) == 50_000
    assert shop.charge(charge["id"])["refunded"] is True


def test_an_order_scanned_by_the_wallet_is_paid_once(sandbox, shop, wallet):
    order = shop.order(1500, "bun")
    assert order["code_url"] == f"tospay://pay?order={order['id']}"
    api = wallet_api(wallet)
    seen = api.get(f"/v1/wallet/orders/{order['id']}")
    assert (seen["merchant"], seen["amount"]) == ("Test Coffee", 1500)
    assert api.post(f"/v1/wallet/orders/{order['id']}/pay", {})["status"] == "succeeded"
    with pytest.raises(ApiRefused) as again:
        api.post(f"/v1/wallet/orders/{order['id']}/pay", {})
    assert again.value.code == "order_already_paid"
    assert shop.order_status(order["id"])["status"] == "paid"
    big = shop.order(25_000, "coat")
    with pytest.raises(ApiRefused) as no_pin:
        api.post(f"/v1/wallet/orders/{big['id']}/pay", {})
    assert (no_pin.value.code, no_pin.value.param) == ("pin_required", "pin")
    assert api.post(f"/v1/wallet/orders/{big['id']}/pay", {"pin": PIN})["status"] == "succeeded"
    assert balance(sandbox, wallet.account) == 50_000 - 1500 - 25_000


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"auth_code": "1", "amount": -5}, "amount"),
        ({"auth_code": "1", "amount": "20"}, "amount"),
        ({"auth_code": "1", "amount": 2.5}, "amount"),
        ({"auth_code": "1"}, "amount"),
        ({"amount": 100}, "auth_code"),
        ({"auth_code": "1", "amount": 100, "currency": "USD"}, "currency"),
        ({"auth_code": "1", "amount": 100, "tip": 5}, "tip"),
        ({"auth_code": "1", "amount": 100, "order": "ord_x"}, "amount"),
    ],
)
def test_bad_requests_name_the_field_and_change_nothing(sandbox, shop, wallet, body, field):
    before = sandbox.audit()
    with pytest.raises(ApiRefused) as refused:
        shop.api.post("/v1/micropay", body)
    assert refused.value.status == 400 and refused.value.param == field, refused.value.body
    assert field in str(refused.value)
    assert balance(sandbox, wallet.account) == 50_000
    assert sandbox.audit() == before


def test_not_json_and_no_key_are_4xx(sandbox, shop):
    raw = httpx.post(
        f"{sandbox.url}/v1/micropay",
        content=b"{",
        headers={
            "Authorization": f"Bearer {shop.api._http.headers['Authorization'][7:]}",
            "Content-Type": "application/json",
        },
    )
    assert raw.status_code == 400 and raw.json()["error"]["param"] == "body"
    anonymous = httpx.post(f"{sandbox.url}/v1/micropay", json={})
    assert anonymous.status_code == 401 and anonymous.json()["error"]["param"] == "Authorization"


def test_callers_see_only_their_own(sandbox, shop, wallet):
    other = sandbox.merchant("Elsewhere")
    charge = shop.micropay(code(wallet), amount=100)
    with pytest.raises(ApiRefused) as hidden:
        other.charge(charge["id"])
    assert hidden.value.status == 404
    with pytest.raises(ApiRefused) as forbidden:
        shop.api.post("/v1/admin/merchants", {"name": "x"})
    assert forbidden.value.status == 403
    with pytest.raises(ApiRefused):
        wallet_api(wallet).get(f"/v1/accounts/{shop.account}")


def test_same_key_replays_other_body_conflicts(sandbox, shop, wallet):
    auth = code(wallet)
    first = shop.micropay(auth, amount=700, key="till-42-sale-9")
    again = shop.api._http.post(
        "/v1/micropay",
        json={"auth_code": auth, "amount": 700, "description": ""},
        headers={"Idempotency-Key": "till-42-sale-9"},
    )
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first
    with pytest.raises(ApiRefused) as reused:
        shop.micropay(auth, amount=701, key="till-42-sale-9")
    assert reused.value.code == "idempotency_key_reused"
    assert balance(sandbox, wallet.account) == 50_000 - 700


def test_an_error_is_replayed_too(sandbox, shop, wallet):
    with pytest.raises(ApiRefused) as first:
        shop.micropay("12345", amount=100, key="bad-code-once")
    with pytest.raises(ApiRefused) as replay:
        shop.micropay("12345", amount=100, key="bad-code-once")
    assert first.value.body == replay.value.body


def test_a_held_reply_is_retried_under_its_key_and_charges_once(sandbox, shop, wallet):
    """The reply is lost after the charge committed; the client retries with the same key
    and gets the first answer: one charge."""
    sandbox.hold_replies("/v1/micropay", seconds=3, count=1, caller=shop.id)
    try:
        impatient = type(shop.api)(shop.api.url, shop.key, timeout=1.0)
        charge = impatient.post(
            "/v1/micropay", {"auth_code": code(wallet), "amount": 300, "description": ""}
        )
    finally:
        sandbox.clear_faults(caller=shop.id)
    assert charge["status"] == "succeeded"
    assert balance(sandbox, wallet.account) == 50_000 - 300
    assert sandbox.replays(shop.id) == 1
    assert sandbox.audit()["balanced"]


def test_a_fault_for_one_caller_spares_the_others(sandbox, shop, wallet):
    """Tests share a sandbox: a fault scoped to one shop never holds another's reply,
    and clearing it leaves the other's fault in place."""
    other = sandbox.merchant("Other Shop")
    sandbox.hold_replies("/v1/micropay", seconds=30, count=1, caller=other.id)
    sandbox.hold_replies("/v1/orders", seconds=30, count=1, caller=shop.id)
    try:
        impatient = type(shop.api)(shop.api.url, shop.key, timeout=5.0, attempts=1)
        charge = impatient.post(
            "/v1/micropay", {"auth_code": code(wallet), "amount": 100, "description": ""}
        )
        assert charge["status"] == "succeeded", "the other shop's fault did not hold it"
        sandbox.clear_faults(caller=other.id)
        left = sandbox.admin.get("/v1/admin/stats")  # still answering
        assert left["replays"] >= 0
        remaining = sandbox.admin.delete(f"/v1/admin/faults?caller={other.id}")["faults"]
        assert [(r["path"], r["caller"]) for r in remaining] == [("/v1/orders", shop.id)]
    finally:
        sandbox.clear_faults(caller=shop.id)
        sandbox.clear_faults(caller=other.id)


def test_wallet_events_long_poll_wakes_on_a_charge(shop, wallet):
    import threading

    api = wallet_api(wallet)
    last = max([e["id"] for e in api.get("/v1/wallet/events", after=0)["data"]], default=0)
    got: dict = {}

    def poll() -> None:
        started = time.monotonic()
        got["events"] = api.get("/v1/wallet/events", after=last, wait=10)["data"]
        got["seconds"] = time.monotonic() - started

    waiter = threading.Thread(target=poll)
    waiter.start()
    time.sleep(0.3)
    shop.micropay(code(wallet), amount=100)
    waiter.join(15)
    assert [e["kind"] for e in got["events"]][:1] == ["code_used"]
    assert got["seconds"] < 5  # woken by the commit, not by the 10 s timeout


def test_the_books_balance(sandbox):
    audit = sandbox.audit()
    assert audit["balanced"], audit
