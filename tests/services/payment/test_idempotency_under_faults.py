"""1,000 payments sent the way a flaky network delivers them: connections cut mid-request,
right after the request, mid-reply, and the same request twice at once. Each is retried
under its Idempotency-Key until a whole reply arrives. Not one is charged twice, and every
balance equals its ledger."""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from lab.protocols import paycode
from tests.payment_data import CARD, PIN

PAYMENTS = 1000
WALLETS = 50
FAULTS = ("cut_mid_request", "cut_after_request", "cut_mid_reply", "duplicate", "clean")


def _request(host: str, key: str, api_key: str, body: dict) -> bytes:
    data = json.dumps(body).encode()
    head = (
        f"POST /v1/micropay HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {api_key}\r\n"
        f"Idempotency-Key: {key}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + data


def _exchange(address: tuple[str, int], request: bytes, fault: str, rng: random.Random):
    """One attempt; the reply (status, body) when it arrived whole, else None."""
    with socket.create_connection(address, timeout=10) as sock:
        if fault == "cut_mid_request":
            sock.sendall(request[: rng.randrange(1, len(request))])
            return None
        sock.sendall(request)
        if fault == "cut_after_request":
            return None
        if fault == "cut_mid_reply":
            sock.recv(rng.randrange(1, 20))
            return None
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body)


def test_a_thousand_payments_through_a_flaky_network_charge_once_each(sandbox, shop):
    url = urlsplit(sandbox.url)
    address = (url.hostname, url.port)
    merchant_key = shop.key
    wallets = [sandbox.wallet(f"flaky-{n}", PIN, CARD, balance=1_000_000) for n in range(WALLETS)]
    tally = {fault: 0 for fault in FAULTS}
    lock = threading.Lock()
    used: dict[str, set[int]] = {wallet.id: set() for wallet in wallets}

    def fresh_code(wallet) -> str:
        """A code issued as the customer shows it: this second, or the latest second
        this wallet has not used yet (one code per wallet per second), never stale."""
        with lock:
            at = int(time.time())
            while at in used[wallet.id]:
                at -= 1
            used[wallet.id].add(at)
        return paycode.issue(wallet.code_secret, wallet.number, at)

    def pay(item):
        number, wallet = item
        body = {  # fixed at the first attempt: every retry sends the same body and key
            "auth_code": fresh_code(wallet),
            "amount": 100 + number % 37,
            "description": f"sale {number}",
        }
        rng = random.Random(number)
        request = _request(url.netloc, f"flaky-sale-{number}", merchant_key, body)
        for attempt in range(12):
            fault = "clean" if attempt >= 10 else rng.choice(FAULTS)
            with lock:
                tally[fault] += 1
            if fault == "duplicate":  # the same request twice at once
                with ThreadPoolExecutor(2) as pair:
                    replies = list(
                        pair.map(lambda _: _exchange(address, request, "clean", rng), (1, 2))
                    )
                assert replies[0] == replies[1], replies  # one execution, the same answer twice
                return number, wallet, body, replies[0]
            reply = _exchange(address, request, fault, rng)
            if reply is not None:
                return number, wallet, body, reply
        raise AssertionError(f"payment {number} got no reply")

    plan = [(number, wallets[number % WALLETS]) for number in range(PAYMENTS)]
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(pay, plan))

    statuses = [(reply[0], reply[1].get("status")) for _, _, _, reply in results]
    assert set(statuses) == {(200, "succeeded")}, [s for s in statuses if s != (200, "succeeded")][
        :5
    ]
    charge_ids = [reply[1]["id"] for _, _, _, reply in results]
    assert len(set(charge_ids)) == PAYMENTS  # each payment one charge

    books = sandbox.account(shop.account, limit=10_000)
    assert books["transaction_count"] == PAYMENTS  # and no charge beyond them: no double charge
    assert {t["ref"] for t in books["transactions"]} == set(charge_ids)
    assert shop.balance() == sum(body["amount"] for _, _, body, _ in results)
    for wallet in wallets:
        paid = sum(body["amount"] for _, w, body, _ in results if w is wallet)
        account = sandbox.account(wallet.account, limit=10_000)
        assert account["balance"] == 1_000_000 - paid
        assert account["balance"] == sum(t["amount"] for t in account["transactions"])
    audit = sandbox.audit()
    assert audit["balanced"], audit
    assert all(tally[fault] > 100 for fault in FAULTS), tally  # every fault really happened
