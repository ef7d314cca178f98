"""Money under a busy day, on SQLite and on PostgreSQL: 16 clients run 400 mixed money
operations at once (buy, pay, complete and refund through the store; orders, micropay and
refunds at a till; duplicates of earlier requests under their key; requests with a bad
key). Afterwards the books say exactly what the clients were told: each wallet's balance
is its start less the charges it was told succeeded plus the refunds it was told of, no
money moved that no client was told of, both ledgers balance, no purchase is pending with
its order paid, and each household owns each app once at most."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import pytest

from lab.cloud.http import ApiRefused, Client
from lab.protocols import paycode
from tests.payment_data import CARD, PIN
from tests.services.store.conftest import PHONE

CLIENTS, OPERATIONS = 16, 400
PRICES = (300, 500, 700)
START = 10_000
KINDS = ("buy", "buy", "pay", "pay", "complete", "refund", "micropay", "order", "till_refund",
         "duplicate", "bad_key")  # fmt: skip


@dataclass
class Books:
    """What the clients were told, kept under a lock."""

    charges: dict[str, dict] = field(default_factory=dict)  # id -> the charge, as answered
    till_of: dict[str, object] = field(default_factory=dict)  # charge id -> its till
    refunds: list[dict] = field(default_factory=list)  # the tills' refunds, as answered
    purchases: dict[str, tuple[int, str]] = field(default_factory=dict)  # id -> account, order
    sent: list[tuple[str, str, dict, str, str]] = field(default_factory=list)  # to repeat
    outcomes: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def charged(self, charge: dict, till: object | None = None) -> None:
        if charge.get("status") == "succeeded":
            with self.lock:
                self.charges[charge["id"]] = charge
                if till is not None:
                    self.till_of[charge["id"]] = till


@pytest.fixture
def day(money, make_apk):
    """Three paid apps; four households of two phones and a wallet; two tills and eight
    walk-in wallets."""
    sandbox, store = money
    tag = uuid.uuid4().hex[:6]
    studio = store.developer(f"Busy {tag}")
    apps = []
    for n, price in enumerate(PRICES):
        package = f"com.busy{tag}.app{n}"
        studio.create_app(package, f"App {n}", price=price)
        studio.upload(package, make_apk(package, 1))
        apps.append(package)
    homes = []
    for n in range(4):
        account = store.account(f"Household {tag} {n}")
        phones = [store.device(f"p{tag}-{n}-{k}", account, "phone", PHONE, 33) for k in (0, 1)]
        wallet = sandbox.wallet(phones[0].id, PIN, CARD, START, pin_limit=100_000)
        homes.append({"phones": [p.client() for p in phones], "wallet": wallet})
    tills = [sandbox.merchant(f"Till {tag} {n}") for n in range(2)]
    walk_ins = [sandbox.wallet(f"w{tag}-{n}", PIN, CARD, START, pin_limit=100_000)
                for n in range(8)]  # fmt: skip
    return {"sandbox": sandbox, "store": store, "apps": apps, "homes": homes,
            "tills": tills, "walk_ins": walk_ins}  # fmt: skip


def _operation(day: dict, books: Books, rng: random.Random) -> str:
    kind = rng.choice(KINDS)
    n = rng.randrange(len(day["homes"]))
    phone = rng.choice(day["homes"][n]["phones"])
    till, walk_in = rng.choice(day["tills"]), rng.choice(day["walk_ins"])
    with books.lock:
        purchases = sorted(books.purchases.items())
        known = sorted(books.till_of.items())
        sent = list(books.sent)
    if kind == "buy":
        key = str(uuid.uuid4())
        body = {"package": rng.choice(day["apps"])}
        purchase = phone.api.post("/v1/purchases", body, key=key)
        with books.lock:
            books.purchases[purchase["id"]] = (n, purchase["order"])
            books.sent.append((day["store"].url, _key(phone.api), body, key, purchase["id"]))
    elif kind in ("pay", "complete", "refund") and purchases:
        purchase_id, (owner, order) = rng.choice(purchases)
        home = day["homes"][owner]
        if kind == "pay":
            books.charged(home["wallet"].pay_order(order))
        elif kind == "complete":
            rng.choice(home["phones"]).complete(purchase_id)
        else:
            rng.choice(home["phones"]).refund(purchase_id)
    elif kind == "micropay":
        code = paycode.issue(
            walk_in.code_secret, walk_in.number, int(time.time()) - rng.randrange(50)
        )
        body = {"auth_code": code, "amount": rng.randrange(100, 900), "description": "busy"}
        key = str(uuid.uuid4())
        charge = till.api.post("/v1/micropay", body, key=key)
        books.charged(charge, till)
        with books.lock:
            books.sent.append((day["sandbox"].url, till.key, body, key, charge["id"]))
    elif kind == "order":
        order = till.order(rng.randrange(100, 900), "busy order")
        books.charged(walk_in.pay_order(order["id"]), till)
    elif kind == "till_refund" and known:
        charge_id, owner = rng.choice(known)
        refund = owner.refund(charge_id, rng.randrange(1, 200), reason="busy")
        with books.lock:
            books.refunds.append(refund)
    elif kind == "duplicate" and sent:
        url, api_key, body, key, first = rng.choice(sent)
        path = "/v1/purchases" if "package" in body else "/v1/micropay"
        client = Client(url, api_key)
        try:
            again = client.post(path, body, key=key)
        finally:
            client.close()
        assert again["id"] == first, f"a replay of {path} answered {again['id']}, not {first}"
    elif kind == "bad_key":
        order = till.order(200, "bad key")
        response = httpx.post(
            f"{day['sandbox'].url}/v1/wallet/orders/{order['id']}/pay", json={},
            headers={"Authorization": f"Bearer {walk_in.api_key}", "Idempotency-Key": "k" * 300},
        )  # fmt: skip
        assert response.status_code == 400, response.text
        assert till.order_status(order["id"])["status"] == "pending"
    else:
        return "skipped"
    return kind


def _key(client: Client) -> str:
    return client._http.headers["Authorization"].removeprefix("Bearer ")


def _run(day: dict, books: Books, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(OPERATIONS // CLIENTS):
        try:
            kind = _operation(day, books, rng)
            books.outcomes[kind] += 1
        except ApiRefused as exc:  # a race lost, a decline: expected; a 5xx never
            books.outcomes[f"refused {exc.code}"] += 1
            if exc.status >= 500 and exc.code != "payment_refused":
                with books.lock:
                    books.server_errors.append(str(exc))


def test_a_busy_day_leaves_the_books_as_the_clients_were_told(day):
    sandbox, store, books = day["sandbox"], day["store"], Books()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(lambda seed: _run(day, books, seed), range(CLIENTS)))
    print(dict(books.outcomes))  # what the day was made of (pytest -s shows it)
    assert not books.server_errors, books.server_errors[:5]
    assert sum(books.outcomes.values()) == OPERATIONS and books.outcomes["buy"] > 20, books.outcomes
    # the end of the day: every purchase is completed (or shown why not)
    states = {}
    for purchase_id, (owner, order) in books.purchases.items():
        try:
            day["homes"][owner]["phones"][0].complete(purchase_id)
        except ApiRefused as exc:
            assert exc.status < 500, exc
        states[purchase_id] = store.purchase(purchase_id)
        if states[purchase_id]["status"] == "pending":
            assert sandbox.admin.get(f"/v1/orders/{order}")["status"] != "paid", purchase_id
    assert sandbox.audit()["balanced"] and store.audit()["balanced"]
    # each household owns each app once at most, and holds what it paid for
    owned = Counter((books.purchases[p][0], s["package"]) for p, s in states.items()
                    if s["status"] == "paid")  # fmt: skip
    assert max(owned.values(), default=1) == 1, owned
    # the store's charges, and the refunds the store was told of
    told = dict(books.charges)
    refunded: dict[str, int] = defaultdict(int)
    for refund in books.refunds:
        refunded[refund["charge"]] += refund["amount"]
    for state in states.values():
        if state["charge"]:
            told[state["charge"]] = sandbox.admin.get(f"/v1/charges/{state['charge']}")
            if state["status"] == "refunded":
                refunded[state["charge"]] += state["price"]
    wallets = [h["wallet"] for h in day["homes"]] + day["walk_ins"]
    for wallet in wallets:
        entries = sandbox.account(wallet.account, limit=10_000)
        moved = {e["ref"] for e in entries["transactions"] if e["kind"] == "charge"}
        mine = {c for c, charge in told.items() if charge["wallet"] == wallet.id}
        assert moved == mine, f"{wallet.id}: money moved for {moved ^ mine}"
        expected = START - sum(told[c]["amount"] for c in mine) + sum(refunded[c] for c in mine)
        assert entries["balance"] == expected, wallet.id
