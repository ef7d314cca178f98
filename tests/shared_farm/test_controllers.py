"""Two `lab run` controllers share one farm of four watches through Redis leases: no device
is ever held by both; when one controller is killed its leases expire within the TTL and
the other takes the devices and finishes."""

from __future__ import annotations

import os
import signal
import time

from lab.farm.leases import overlaps
from lab.farm.redis_store import RedisLeaseStore
from tests.harness.runs import results
from tests.shared_farm.pool import run_pool

TTL = 4.0


def _store(pool) -> RedisLeaseStore:
    text = pool.inventory.read_text()
    url = text.split("lease_store: '", 1)[1].split("'", 1)[0]
    return RedisLeaseStore(url)


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
    doomed = run_pool(redis_pool, tmp_path / "doomed", tests=40, workers=4, popen=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # until the doomed controller holds devices
        held = [e for e in store.events()[start:] if e["event"] == "acquire"]
        if len(held) >= 4:
            break
        time.sleep(0.2)
    os.killpg(doomed.pid, signal.SIGKILL)  # lab run, pytest and its workers: no goodbye
    killed_at = time.time()
    doomed.wait(timeout=30)
    holding = {d: store.holder(d) for d in ("p-1", "p-2", "p-3", "p-4")}
    assert any(holding.values()), "the killed controller held no lease"
    survivor = run_pool(redis_pool, tmp_path / "survivor", tests=8, workers=4)
    assert survivor.returncode == 0, survivor.stdout[-3000:]
    events = store.events()[start:]
    assert overlaps(events) == []
    expired = [e for e in events if e["event"] == "expire"]
    assert {e["device"] for e in expired} >= {d for d, lease in holding.items() if lease}
    for event in expired:  # noticed by the survivor once the TTL had run out, not before
        assert event["t"] - killed_at <= TTL + 5, event
    assert all(r["status"] == "passed" for r in results(tmp_path / "survivor"))
