"""What the farm puts on the network: a Redis off loopback only with a password, always in
protected mode; dashboard reads behind the token when served beyond loopback; and one bad
host registration (unreadable, an older schema, a clashing id) skipped and said, never
fatal, so the farm can still be run and repaired."""

from __future__ import annotations

import json
import subprocess
import sys

import redis
from fastapi.testclient import TestClient

from lab.farm.dashboard.app import COOKIE, create_app
from lab.farm.file_store import FileLeaseStore
from lab.farm.remote import join_exported
from lab.inventory import load_inventory
from tests.virtual_farm import BASE, LAB, REDIS_PORT

TOKEN = "t" * 24


def test_a_redis_off_loopback_needs_a_password(home):
    open_wide = home.with_store("redis://10.255.255.1:6399/0", "redis-wide")
    done = open_wide.lab("farm", "up", "--inventory", str(open_wide.inventory), check=False)
    assert done.returncode == 2 and "not loopback" in done.stderr, done.stderr
    assert "password_file" in done.stderr and "Traceback" not in done.stderr


def test_the_farms_redis_runs_in_protected_mode(redis_url):
    client = redis.Redis(port=REDIS_PORT, socket_timeout=3)
    assert client.config_get("protected-mode") == {"protected-mode": "yes"}
    assert client.config_get("bind")["bind"] == "127.0.0.1"


def _registrations(folder):
    store = FileLeaseStore(folder / "leases")
    device = {"id": "x-watch", "class": "watch", "model": "W", "platform": "TOS+ 1.2",
              "adb": {"serial": "S1", "server": "10.0.0.2:5037"},
              "display": {"width": 454, "height": 454, "density": 320}}  # fmt: skip
    store.register_host({"name": "good", "devices": [device]}, ttl=60)
    old = {**device, "id": "y-watch", "shape_of_old": True}  # a field the schema refuses
    store.register_host({"name": "older-lab", "devices": [old]}, ttl=60)
    clash = {**device, "id": "t-watch"}  # the test farm's own watch
    store.register_host({"name": "clashing", "devices": [clash, {**device, "id": "x-watch"}]},
                        ttl=60)  # fmt: skip
    (folder / "leases" / "hosts" / "broken.json").write_text("{not json")
    return store


def test_a_bad_registration_is_skipped_and_said(home, tmp_path):
    store = _registrations(tmp_path)
    joined = join_exported(load_inventory(home.inventory), store)
    ids = [d.id for d in joined.inventory.devices]
    assert ids.count("x-watch") == 1 and ids.count("t-watch") == 1 and "y-watch" not in ids
    said = "\n".join(joined.skipped)
    assert "host 'older-lab': device 'y-watch': the inventory schema refuses it" in said
    assert "host 'clashing': device 't-watch': the id is taken" in said
    assert "device 'x-watch': the id is taken" in said  # two hosts: the first keeps it
    assert "host 'broken': its registration is unreadable" in said
    farm = home.with_store(f"file:{tmp_path / 'leases'}", "bad-registrations")
    done = farm.lab("farm", "health", "--inventory", str(farm.inventory), "--json", check=False)
    assert done.returncode == 0, done.stderr  # the farm can still be looked at and repaired
    assert "x-watch" in {d["device_id"] for d in json.loads(done.stdout)["devices"]}
    assert "older-lab" in done.stderr and "Traceback" not in done.stderr


def test_dashboard_reads_need_the_token_beyond_loopback(home, tmp_path):
    inventory = load_inventory(home.inventory)
    store = FileLeaseStore(tmp_path / "leases")
    wide = TestClient(create_app(inventory, store, TOKEN, None, open_reads=False))
    for path in ("/api/farm", "/api/events", "/api/devices/t-watch/thumbnail.png"):
        assert wide.get(path).status_code == 401, path
    assert wide.get("/api/farm", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert wide.post("/api/session", json={"token": "wrong" * 5}).status_code == 401
    login = wide.post("/api/session", json={"token": TOKEN})
    assert login.status_code == 204
    cookie = login.cookies[COOKIE]
    assert TOKEN not in cookie and "httponly" in login.headers["set-cookie"].lower()
    assert wide.get("/api/farm").status_code == 200  # the session cookie reads
    answer = wide.post("/api/devices/t-watch/quarantine", json={"why": "x"})
    assert answer.status_code == 401  # it never writes: quarantine needs the token itself
    local = TestClient(create_app(inventory, store, TOKEN, None))
    assert local.get("/api/farm").status_code == 200  # on loopback reads are open


PROBE = """
import sys, time, urllib.error, urllib.request
url = sys.argv[1]
for _ in range(150):
    try:
        urllib.request.urlopen(url + "/", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
token = open(sys.argv[2]).read().strip()  # made by the server as it started
for headers in ({}, {"Authorization": "Bearer " + token}):
    try:
        print(urllib.request.urlopen(urllib.request.Request(url + "/api/farm", headers=headers),
                                     timeout=5).status)
    except urllib.error.HTTPError as exc:
        print(exc.code)
"""


def test_lab_farm_serve_off_loopback_asks_for_the_token(home, tmp_path):
    """Served on an address of a network namespace of its own (nothing else reaches it)."""
    port, token = BASE + 25, tmp_path / "token"
    script = f"""
set -e
trap 'kill %1 2>/dev/null || true' EXIT
ip link set lo up
ip addr add 10.99.0.1/32 dev lo  # an address that is not loopback
{LAB} farm serve --inventory {home.inventory} --host 10.99.0.1 --port {port} \
    --no-thumbnails --token-file {token} &
{sys.executable} -c '{PROBE}' http://10.99.0.1:{port} {token}
"""
    done = subprocess.run(["unshare", "-n", "bash", "-c", script], env=home.env,
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.stdout.split()[-2:] == ["401", "200"], (done.stdout, done.stderr)


def test_the_dashboard_holds_no_big_body_before_the_token_is_checked(home, tmp_path):
    app = create_app(load_inventory(home.inventory), FileLeaseStore(tmp_path / "l"), TOKEN, None)
    answer = TestClient(app).post(
        "/api/devices/t-watch/quarantine",
        content=b'{"why": "' + b"x" * (1 << 20) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 413 and answer.json()["error"]["param"] == "body"


def test_the_dashboard_names_a_refused_field_without_echoing_it(home, tmp_path):
    app = create_app(load_inventory(home.inventory), FileLeaseStore(tmp_path / "l"), TOKEN, None)
    answer = TestClient(app).post("/api/session", json={"token": 12345678901234567890})
    assert answer.status_code == 422 and "token" in answer.json()["detail"]
    assert "12345678901234567890" not in answer.text
