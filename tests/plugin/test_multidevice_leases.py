"""A multi-device test holds all its devices for its whole run: with two workers, the
single-device tests of those devices wait (never run meanwhile), seen in the lease log."""

from __future__ import annotations

import time
from pathlib import Path

from lab.farm.leases import overlaps
from tests.run.runs import lease_spans, results, write_suite

SUITE = """
import time
import pytest

@pytest.mark.devices(pad="phone", screen="tv")
def test_a_pair(duts):
    assert duts["pad"].shell("echo pad").stdout.strip() == "pad"
    time.sleep(3)
    assert duts["screen"].shell("echo screen").stdout.strip() == "screen"

@pytest.mark.parametrize("n", range(4))
def test_one_device(dut, n):
    time.sleep(0.5)
"""


def test_a_multi_device_tests_devices_are_not_lent_meanwhile(farm, tmp_path):
    reports = tmp_path / "reports"
    suite = write_suite(tmp_path / "suite", SUITE)
    started = time.time()
    done = farm.lab("run", str(suite), "-n", "2", "--device", "t-tv", "--device", "t-phone",
                    "--inventory", str(farm.inventory), "--report-dir", str(reports),
                    check=False, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert len(results(reports)) == 9  # the pair once, 4 tests on each device
    log = Path(farm.inventory).parent / "reports" / ".leases" / "leases.jsonl"
    assert overlaps(log) == []
    spans = lease_spans(log, since=started - 1)
    # one holder held both devices together for the 3 s the pair test slept
    together = [
        (a0, a1, b0, b1)
        for holder_a, a0, a1 in spans.get("t-tv", [])
        for holder_b, b0, b1 in spans.get("t-phone", [])
        if holder_a == holder_b and min(a1, b1) - max(a0, b0) >= 3
    ]
    assert together, f"no holder held t-tv and t-phone together for 3 s: {spans}"
