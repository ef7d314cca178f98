"""Two `lab run` controllers share one farm of four watches through Redis leases: no device
is ever held by both; when one controller is killed its leases expire within the TTL and
the other takes the devices and finishes; a controller frozen past its TTL finds its lease
taken (fencing) and its next device operation is refused."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from lab.farm.leases import overlaps
from lab.farm.redis_store import RedisLeaseStore
from lab.report.categories import result_category
from tests.farm.pool import run_pool
from tests.run.runs import results, write_suite
from tests.virtual_farm import LAB

TTL = 4.0


def _store(pool) -> RedisLeaseStore:
    text = pool.inventory.read_text()
    url = text.split("lease_store: '", 1)[1].split("'", 1)[0]
    return RedisLeaseStore(url)


def _seconds_until_free(store, devices: set[str], since: float) -> dict[str, float]:
    """How long after `since` each device's lease was gone from Redis (polled every 50 ms)."""
    freed: dict[str, float] = {}
    deadline = time.monotonic() + TTL * 5
    while len(freed) < len(devices) and time.monotonic() < deadline:
        for device in devices - set(freed):
            if store.holder(device) is None:
                freed[device] = time.time() - since
        time.sleep(0.05)
    assert set(freed) == devices, (
        f"still held {TTL * 5:.0f} s after the kill: {devices - set(freed)}"
    )
    return freed


def test_two_controllers_never_overlap(redis_pool, tmp_path):
    store = _store(redis_pool)
    start = len(store.events())
    first = run_pool(redis_pool, tmp_path / "a", tests=10, workers=2, popen=True)
    second = run_pool(redis_pool, tmp_path / "b", tests=10, workers=2, popen=True)
    outputs = [first.communicate(timeout=600)[0], second.communicate(timeout=600)[0]]
    assert [first.returncode, second.returncode] == [0, 0], outputs[0][-2000:] + outputs[1][-2000:]
    events = store.events()[start:]
    holders = {e["holder"] for e in events if e["event"] == "acquire"}
    assert len(holders) >= 3, holders  # workers of both controllers (two each) took leases
    assert overlaps(events) == []
    assert len(results(tmp_path / "a")) == len(results(tmp_path / "b")) == 10
    tokens = {}
    for event in (e for e in events if e["event"] == "acquire"):
        assert event["token"] > tokens.get(event["device"], 0)  # fencing tokens only grow
        tokens[event["device"]] = event["token"]


def test_a_killed_controllers_leases_expire_and_the_other_takes_the_devices(redis_pool, tmp_path):
    store = _store(redis_pool)
    start = len(store.events())
    doomed = run_pool(redis_pool, tmp_path / "doomed", tests=30, workers=2, popen=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # until the doomed controller holds devices
        acquired = [e for e in store.events()[start:] if e["event"] == "acquire"]
        if len(acquired) >= 2:
            break
        time.sleep(0.2)
    os.killpg(doomed.pid, signal.SIGKILL)  # lab run, pytest and its workers: no goodbye
    killed_at = time.time()
    doomed.wait(timeout=30)
    holding = {d: store.holder(d) for d in ("p-1", "p-2", "p-3", "p-4")}
    held = {d for d, lease in holding.items() if lease}
    assert held, "the killed controller held no lease"
    freed_after = _seconds_until_free(store, held, since=killed_at)
    for device, seconds in freed_after.items():  # the TTL, from the last renewal before the kill
        assert seconds <= TTL + 1.0, (device, seconds)
    survivor = run_pool(redis_pool, tmp_path / "survivor", tests=6, workers=2)
    assert survivor.returncode == 0, survivor.stdout[-3000:]
    events = store.events()[start:]
    assert overlaps(events) == []
    expired = {e["device"]: e for e in events if e["event"] == "expire"}
    assert set(expired) >= held
    for device in held:  # the survivor took them over only once their TTL had run out
        assert expired[device]["t"] >= killed_at + freed_after[device] - 0.1, expired[device]
    assert all(r["status"] == "passed" for r in results(tmp_path / "survivor"))


PAUSED_HOLDER = """
import os, time
from pathlib import Path

def test_holds_its_device_for_a_while(dut):
    Path(os.environ["HOLDING_MARK"]).write_text(dut.id)
    for _ in range(60):
        assert dut.shell("echo tick").stdout.strip() == "tick"
        time.sleep(0.25)
"""


def test_a_paused_controller_whose_lease_expired_cannot_act_on_the_device(redis_pool, tmp_path):
    store = _store(redis_pool)
    suite = write_suite(tmp_path / "suite", PAUSED_HOLDER)
    mark = tmp_path / "holding"
    reports = tmp_path / "reports"
    args = ["run", str(suite), "--inventory", str(redis_pool.inventory), "--device", "p-1",
            "--report-dir", str(reports), "--no-sim"]  # fmt: skip
    paused = subprocess.Popen([LAB, *args], env={**redis_pool.env, "HOLDING_MARK": str(mark)},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while not mark.exists():
        assert paused.poll() is None and time.monotonic() < deadline, paused.stdout.read()
        time.sleep(0.1)
    stale = store.holder("p-1")
    os.killpg(paused.pid, signal.SIGSTOP)  # a frozen controller: no heartbeat, no action
    try:
        mine = store.acquire("p-1", "the next controller", timeout=TTL + 5)
    finally:
        os.killpg(paused.pid, signal.SIGCONT)
    try:
        output = paused.communicate(timeout=120)[0]
    finally:
        store.release(mine)
    assert mine.token > stale.token
    [result] = results(reports)
    assert paused.returncode == 1, output[-2000:]
    assert result["status"] == "broken" and result_category(result) == "Lab infrastructure"
    message = result["statusDetails"]["message"]
    # refused by the heartbeat's finding or by the check before the operation, whichever
    # came first: either way before the operation reached the device
    assert "refused" in message, message
    assert "the next controller holds it now" in message or "taken over" in message, message
