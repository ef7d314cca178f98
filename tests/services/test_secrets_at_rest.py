"""What the services keep on disk gives no secret away: read straight from their SQLite
files, no table holds an issued key, a wallet's code secret or card key in the clear,
and an idempotency fingerprint of a PIN entry cannot be matched by trying every PIN."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from lab.cloud.http import Client
from tests.payment_data import CARD, PIN


def _texts(database: Path) -> str:
    """Every value of every table, as one text."""
    with sqlite3.connect(database) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(
            str(value) for table in tables for row in db.execute(f'SELECT * FROM "{table}"')
            for value in row
        )  # fmt: skip


@pytest.fixture
def databases(home) -> dict[str, Path]:
    folder = Path(home.env["LAB_RUNTIME_DIR"]) / "services"
    return {name: folder / f"{name}.db" for name in ("payment", "store")}


@pytest.mark.parametrize("sandbox", ["sqlite"], indirect=True)
def test_no_issued_secret_rests_in_the_clear(sandbox, store, databases):
    shop = sandbox.merchant("Key Shop")
    wallet = sandbox.wallet("w-keys", PIN, CARD, balance=1000)
    developer = store.developer("Key Studio")
    device = store.device(f"d-{uuid.uuid4().hex[:6]}", store.account("Keys"), "phone", [], 33)
    payment_rows, store_rows = _texts(databases["payment"]), _texts(databases["store"])
    for secret in (shop.key, wallet.api_key, wallet.code_secret, wallet.card.icc_key, PIN, CARD):
        assert secret not in payment_rows
    developer_key = developer.api._http.headers["Authorization"].removeprefix("Bearer ")
    for secret in (developer_key, device.api_key):
        assert secret not in store_rows


@pytest.mark.parametrize("sandbox", ["sqlite"], indirect=True)
def test_a_pin_entrys_fingerprint_does_not_give_the_pin_away(sandbox, databases):
    shop = sandbox.merchant("Fingerprint Shop")
    wallet = sandbox.wallet("w-print", PIN, CARD, balance=100_000)
    client = Client(sandbox.url, wallet.api_key)
    charge = client.post("/v1/wallet/payments", {"amount": 500, "merchant": shop.id})
    path = f"/v1/wallet/charges/{charge['id']}/pin"
    assert client.post(path, {"pin": PIN}, key=str(uuid.uuid4()))["status"] == "succeeded"
    with sqlite3.connect(databases["payment"]) as db:
        prints = {row[0] for row in db.execute("SELECT fingerprint FROM idempotency_keys")}
    # what an unkeyed hash of the request would be, for each of the million PINs
    for guess in range(1_000_000):
        body = json.dumps({"pin": f"{guess:06d}"}, sort_keys=True, separators=(",", ":"))
        assert hashlib.sha256(f"POST {path}\n{body}".encode()).hexdigest() not in prints
