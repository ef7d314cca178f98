"""The sandbox's tests run twice: on SQLite (the default) and on PostgreSQL (a
`postgresql://` database URL), each started through `lab services up`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lab.cloud.payment import PaymentSandbox
from tests.farm import BASE, Farm
from tests.services.postgres import postgres_server

PG_PORT, PG_SANDBOX_PORT = BASE + 32, BASE + 33
INVENTORY = """farm:
  services:
    payment: {url: "http://127.0.0.1:%(port)d", database: "%(database)s"}
devices:  # never started here
  - {id: pg-watch, class: watch, model: W, platform: TOS+ 1.2, adb: {serial: S1},
     display: {width: 454, height: 454, density: 320}}
"""


@pytest.fixture(scope="session")
def postgres_sandbox(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pg-sandbox")
    with postgres_server(PG_PORT) as database:
        inventory = folder / "farm.yaml"
        inventory.write_text(INVENTORY % {"port": PG_SANDBOX_PORT, "database": database})
        farm = Farm(inventory, {**os.environ, "LAB_RUNTIME_DIR": str(folder / "runtime")})
        farm.lab("services", "up", "--inventory", str(inventory), timeout=60)
        try:
            done = farm.lab("services", "status", "--json", "--inventory", str(inventory))
            assert json.loads(done.stdout)["services"][0]["database"] == database
            key = Path(farm.env["LAB_RUNTIME_DIR"]) / "services" / "payment.admin-key"
            yield PaymentSandbox(f"http://127.0.0.1:{PG_SANDBOX_PORT}", key.read_text().strip())
        finally:
            farm.lab("services", "down", "--inventory", str(inventory), check=False)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def sandbox(request, sandbox) -> PaymentSandbox:  # the outer `sandbox`: SQLite
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_sandbox")
    return sandbox
