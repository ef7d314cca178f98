"""`lab services up | status | down` as a user runs them: its own process, JSON status with
URL and pid, idempotent up, a busy port and an unknown name refused with a clear error,
and down stopping exactly that process."""

from __future__ import annotations

import json
import os
import socket

import httpx
import psutil
import pytest

from tests.virtual_farm import BASE, Farm

PORT = BASE + 31  # beside this worker's farm sandbox (BASE + 30)
INVENTORY = """farm:
  services:
    payment: {url: "http://127.0.0.1:%d"}
devices:  # never started here
  - {id: s-watch, class: watch, model: W, platform: TOS+ 1.2, adb: {serial: S1},
     display: {width: 454, height: 454, density: 320}}
"""


@pytest.fixture
def own(tmp_path) -> Farm:
    inventory = tmp_path / "farm.yaml"
    inventory.write_text(INVENTORY % PORT)
    farm = Farm(inventory, {**os.environ, "LAB_RUNTIME_DIR": str(tmp_path / "runtime")})
    yield farm
    farm.lab("services", "down", "--inventory", str(inventory), check=False)


def status(farm: Farm) -> dict:
    done = farm.lab("services", "status", "--json", "--inventory", str(farm.inventory))
    return {row["name"]: row for row in json.loads(done.stdout)["services"]}


def test_up_status_down(own):
    assert status(own)["payment"]["state"] == "stopped"
    own.lab("services", "up", "--inventory", str(own.inventory), timeout=60)
    row = status(own)["payment"]
    assert (row["state"], row["url"], row["problem"]) == (
        "running",
        f"http://127.0.0.1:{PORT}",
        "",
    )
    assert row["database"].startswith("sqlite:///") and row["database"].endswith("payment.db")
    process = psutil.Process(row["pid"])
    assert "lab.services.serve" in " ".join(process.cmdline())
    assert httpx.get(f"{row['url']}/openapi.json", timeout=5).json()["info"]["title"]
    key = own.env["LAB_RUNTIME_DIR"] + "/services/payment.admin-key"
    assert oct(os.stat(key).st_mode & 0o777) == "0o600"

    own.lab("services", "up", "--inventory", str(own.inventory), timeout=60)
    assert status(own)["payment"]["pid"] == row["pid"], "a second up leaves it running"

    own.lab("services", "down", "--inventory", str(own.inventory), timeout=60)
    assert not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    assert status(own)["payment"]["state"] == "stopped"


def test_a_busy_port_is_refused(own):
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", PORT))
        squatter.listen()
        done = own.lab("services", "up", "--inventory", str(own.inventory), check=False)
    assert done.returncode == 2, done.stderr
    assert f"port {PORT} on 127.0.0.1 is busy" in done.stderr
    assert "Traceback" not in done.stderr
    assert status(own)["payment"]["state"] == "stopped"


def test_an_unknown_service_is_named(own):
    done = own.lab("services", "up", "store", "--inventory", str(own.inventory), check=False)
    assert done.returncode == 2
    assert "no service 'store' in farm.services" in done.stderr
    assert "Traceback" not in done.stderr
