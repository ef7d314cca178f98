"""The sandbox's tests run twice: on SQLite (the default) and on PostgreSQL (a
`postgresql://` database URL), each started through `lab services up`; so do the tests of
the money routes of both services (`money`: the sandbox and the store beside it)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lab.cloud.payment import PaymentSandbox
from lab.cloud.store import Store
from tests.services.postgres import postgres_server
from tests.virtual_farm import BASE, Farm

PG_PORT, PG_SANDBOX_PORT, PG_STORE_PORT = BASE + 32, BASE + 33, BASE + 35
INVENTORY = """farm:
  services:
    payment: {url: "http://127.0.0.1:%(port)d", database: "%(database)s"}
    store: {url: "http://127.0.0.1:%(store_port)d", database: "%(store_database)s"}
devices:  # never started here
  - {id: pg-watch, class: watch, model: W, platform: TOS+ 1.2, adb: {serial: S1},
     display: {width: 454, height: 454, density: 320}}
"""


@pytest.fixture(scope="session")
def postgres_services(tmp_path_factory) -> tuple[PaymentSandbox, Store]:
    folder = tmp_path_factory.mktemp("pg-sandbox")
    with postgres_server(PG_PORT, ("lab", "lab_store")) as database:
        inventory = folder / "farm.yaml"
        store_database = database.rsplit("/", 1)[0] + "/lab_store"
        inventory.write_text(INVENTORY % {"port": PG_SANDBOX_PORT, "database": database,
                                          "store_port": PG_STORE_PORT,
                                          "store_database": store_database})  # fmt: skip
        farm = Farm(inventory, {**os.environ, "LAB_RUNTIME_DIR": str(folder / "runtime")})
        farm.lab("services", "up", "--inventory", str(inventory), timeout=60)
        try:
            done = farm.lab("services", "status", "--json", "--inventory", str(inventory))
            found = {s["name"]: s["database"] for s in json.loads(done.stdout)["services"]}
            assert found == {"payment": database, "store": store_database}
            keys = Path(farm.env["LAB_RUNTIME_DIR"]) / "services"
            yield (
                PaymentSandbox(f"http://127.0.0.1:{PG_SANDBOX_PORT}",
                               (keys / "payment.admin-key").read_text().strip()),
                Store(f"http://127.0.0.1:{PG_STORE_PORT}",
                      (keys / "store.admin-key").read_text().strip()),
            )  # fmt: skip
        finally:
            farm.lab("services", "down", "--inventory", str(inventory), check=False)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def sandbox(request, sandbox) -> PaymentSandbox:  # the outer `sandbox`: SQLite
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_services")[0]
    return sandbox


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def money(request) -> tuple[PaymentSandbox, Store]:
    """The payment sandbox and the store that sells through it, on either database."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_services")
    home = request.getfixturevalue("home")
    key = Path(home.env["LAB_RUNTIME_DIR"]) / "services" / "payment.admin-key"
    url = request.getfixturevalue("sandbox_url")
    return PaymentSandbox(url, key.read_text().strip()), request.getfixturevalue("store")
