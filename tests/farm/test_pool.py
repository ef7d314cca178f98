"""A pool of four identical watches with one faulted for the whole run: every test runs,
on the other three; the faulted one goes bad and is passed over. A person's quarantine
keeps a device out until released."""

from __future__ import annotations

from collections import Counter

from tests.farm.pool import run_pool
from tests.run.runs import labels, results


def _devices(reports) -> Counter:
    return Counter(labels(r, "parentSuite")[0] for r in results(reports) if r["status"] == "passed")


def test_one_of_four_faulted_for_the_whole_run_completes_on_three(pool, tmp_path):
    pool.fault("p-2", "drop-adb")
    try:
        done = run_pool(pool, tmp_path / "reports", tests=10, workers=4)
    finally:
        pool.fault("p-2", "all", "--clear")
    found = results(tmp_path / "reports")
    assert done.returncode == 0, done.stdout[-3000:]
    assert len(found) == 10 and all(r["status"] == "passed" for r in found)
    by_device = _devices(tmp_path / "reports")
    assert set(by_device) == {"p-1", "p-3", "p-4"}, by_device
    health = pool.health()
    assert health["p-2"]["state"] == "bad" and "health check" in health["p-2"]["why"]
    assert {health[d]["state"] for d in ("p-1", "p-3", "p-4")} == {"good"}


def test_a_quarantined_device_gets_no_tests_until_released(pool, tmp_path):
    pool.lab("farm", "quarantine", "--inventory", str(pool.inventory), "p-3", "--why", "cracked")
    try:
        done = run_pool(pool, tmp_path / "held", tests=6)
        assert done.returncode == 0, done.stdout[-3000:]
        assert "p-3" not in _devices(tmp_path / "held")
        assert pool.health()["p-3"]["state"] == "maintenance"  # a check does not lift it
    finally:
        pool.lab("farm", "release", "--inventory", str(pool.inventory), "p-3")
    assert pool.health()["p-3"]["state"] == "unknown"
    history = pool.lab("farm", "health", "--inventory", str(pool.inventory), "--history", "p-3")
    assert "maintenance cracked" in history.stdout and "released from maintenance" in history.stdout
