"""Both lease stores keep the same books: fencing tokens that only grow, renew and release
that act only for the current token, health rules (a check never lifts a person's
maintenance), and a history. The Redis store's leases expire without a heartbeat, and its
tokens survive a restart of the server."""

from __future__ import annotations

import subprocess
import time

import pytest

from lab.errors import LabError
from lab.farm.file_store import FileLeaseStore
from lab.farm.health import Health, HealthRecord
from lab.farm.keeper import LeaseKeeper
from lab.farm.leases import Lease, LeaseLost, overlaps
from lab.farm.redis_store import RedisLeaseStore
from tests.virtual_farm import LAB


@pytest.fixture(params=["file", "redis"])
def store(request, tmp_path):
    if request.param == "file":
        return FileLeaseStore(tmp_path / "leases")
    url = request.getfixturevalue("redis_url")
    database = 2 + int(time.time() * 1000) % 10  # a fresh-ish database per test
    redis_store = RedisLeaseStore(url.replace("/0?", f"/{database}?"))
    redis_store.client.flushdb()
    return redis_store


def test_tokens_only_grow_and_a_stale_token_cannot_renew_or_release(store):
    first = store.acquire("w-1", "a", timeout=1)
    store.release(first)
    second = store.acquire("w-1", "b", timeout=1, purpose="tests/x.py::t")
    assert second.token > first.token and second.purpose == "tests/x.py::t"
    assert store.renew(second) and not store.renew(first)
    store.release(first)  # a stale holder's release changes nothing
    assert store.holder("w-1").token == second.token
    store.release(second)
    assert store.holder("w-1") is None
    assert overlaps(store.events()) == []


def test_the_keeper_refuses_operations_once_the_lease_is_not_ours(store):
    lease = store.acquire("w-2", "me", timeout=1)
    keeper = LeaseKeeper(store)
    keeper.hold(lease)
    keeper.guard(lease, "shell 'echo'")  # ours: allowed
    store.release(lease)
    taken = store.acquire("w-2", "another run", timeout=1)
    with pytest.raises(LeaseLost, match="another run holds it now"):
        keeper.guard(lease, "shell 'echo'")
    store.release(taken)


def test_health_checks_never_lift_a_persons_quarantine(store):
    assert store.health("w-3").state is Health.UNKNOWN
    store.mark("w-3", Health.BAD, "health check: adb: offline", "run-1", checked=True)
    store.mark("w-3", Health.GOOD, "health check: healthy", "run-2", checked=True)
    store.set_health(HealthRecord("w-3", Health.MAINTENANCE, "cracked screen", "ops"))
    after = store.mark("w-3", Health.GOOD, "health check: healthy", "run-3", checked=True)
    assert after.state is Health.MAINTENANCE and after.why == "cracked screen"
    history = [r.state for r in store.health_history("w-3")]
    assert history == [Health.BAD, Health.GOOD, Health.MAINTENANCE]


def test_a_redis_lease_expires_without_its_heartbeat(redis_url):
    store = RedisLeaseStore(redis_url.replace("/0?", "/12?"))
    store.client.flushdb()
    lease = store.acquire("w-4", "a dead controller", timeout=1)
    started = time.monotonic()
    taken = store.acquire("w-4", "the next", timeout=10)  # no one renews the first
    waited = time.monotonic() - started
    assert store.ttl - 0.5 <= waited <= store.ttl + 2, waited
    assert taken.token > lease.token
    events = store.events()
    assert [e["event"] for e in events] == ["acquire", "expire", "acquire"]
    assert overlaps(events) == []


def test_redis_tokens_and_leases_survive_a_restart(home, redis_url):
    store = RedisLeaseStore(redis_url.replace("/0?ttl=4", "/13?ttl=60"))
    store.client.flushdb()
    before = store.acquire("w-5", "a", timeout=1)
    store.release(before)
    held = store.acquire("w-6", "b", timeout=1)
    inventory = home.inventory.with_name("redis-farm.yaml")  # the redis_url fixture's
    for command in ("down", "up"):
        done = subprocess.run([LAB, "farm", command, "--inventory", str(inventory)],
                              env=home.env, capture_output=True, text=True, timeout=60)  # fmt: skip
        assert done.returncode == 0, done.stderr
    after = store.acquire("w-5", "a", timeout=1)
    assert after.token > before.token  # the counter came back from the append-only file
    assert store.holder("w-6").token == held.token  # a lease within its TTL is still held


def test_the_keeper_renews_two_devices_leases_of_the_same_token(store):
    """Tokens count per device: a two-device test often holds token 1 on both. Each is
    renewed on its own (keyed by token alone, one was never renewed and expired)."""
    first, second = (store.acquire(d, "me", timeout=1) for d in ("w-5", "w-6"))
    assert first.token == second.token == 1
    keeper = LeaseKeeper(store)
    keeper.hold(first)
    keeper.hold(second)
    renewed: list[str] = []
    real = store.renew
    store.renew = lambda lease: renewed.append(lease.device_id) or real(lease)
    keeper.renew_all()
    assert sorted(renewed) == ["w-5", "w-6"]
    for lease in (first, second):
        keeper.guard(lease, "shell 'echo'")
        store.release(lease)


class _SlowStore:
    """A TTL store whose renewals take `delay` seconds to answer, and whose lease can no
    longer be read (the store gone away) once `away` is set."""

    def __init__(self, ttl: float, delay: float) -> None:
        self.ttl, self.delay, self.away = ttl, delay, False

    def renew(self, lease) -> bool:
        time.sleep(self.delay)
        return True

    def holder(self, device_id):
        if self.away:
            raise LabError("the store is away")
        return None


def test_a_lease_is_counted_from_when_its_renewal_was_asked():
    """With the store away, a holder may act only while its last renewal is younger than
    the TTL, counted from when it asked: the store's TTL started before the slow answer."""
    store = _SlowStore(ttl=1.0, delay=0.6)
    keeper = LeaseKeeper(store)
    lease = Lease("w-7", "me", 1, time.time(), token=1)
    keeper._held[("w-7", 1)] = (lease, time.monotonic())  # held, no heartbeat thread
    asked = time.monotonic()
    keeper.renew_all()  # answered 0.6 s later
    store.away = True
    time.sleep(max(0.0, asked + store.ttl + 0.2 - time.monotonic()))
    with pytest.raises(LeaseLost, match="not renewed for over its 1 s TTL"):
        keeper.guard(lease, "shell 'echo'")
