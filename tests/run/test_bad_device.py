"""A run survives a bad device: one that is down or hung fails its health check, its tests
are reported as "Device unavailable" with the check's output, and the others run; one that
reboots mid-run is waited for and runs its remaining tests."""

from __future__ import annotations

import subprocess
import threading
import time
from collections import defaultdict

from lab.report.categories import result_category
from tests.run.runs import attachment, labels, results
from tests.virtual_farm import LAB

FOUR = ["t-watch", "t-tv", "t-headset", "t-phone"]


def _smoke(farm, reports, devices, *extra: str) -> tuple[subprocess.CompletedProcess, float]:
    args = [a for d in devices for a in ("--device", d)]
    started = time.monotonic()
    done = farm.lab(
        "run",
        "tos/smoke",
        "-n",
        "2",
        *args,
        "--inventory",
        str(farm.inventory),
        "--report-dir",
        str(reports),
        *extra,
        check=False,
        timeout=600,
    )
    return done, time.monotonic() - started


def _by_device(reports) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = defaultdict(list)
    for result in results(reports):
        found[labels(result, "parentSuite")[0]].append(result)
    return found


def test_a_device_down_or_hung_for_the_whole_run(farm, tmp_path):
    clean, clean_seconds = _smoke(farm, tmp_path / "clean", FOUR)
    assert clean.returncode == 0, clean.stdout[-3000:]
    for fault in ("drop-adb", "stall-shell"):
        farm.fault("t-watch", fault)  # until cleared: the whole run
        try:
            done, seconds = _smoke(farm, tmp_path / fault, FOUR)
        finally:
            farm.fault("t-watch", "all", "--clear")
        assert done.returncode == 1, done.stdout[-3000:]
        assert seconds < clean_seconds + 30, (
            f"{fault}: {seconds:.0f} s vs clean {clean_seconds:.0f} s"
        )
        by_device = _by_device(tmp_path / fault)
        for healthy in ("t-tv", "t-headset", "t-phone"):
            statuses = [r["status"] for r in by_device[healthy]]
            assert statuses and set(statuses) == {"passed"}, (fault, healthy, statuses)
        sick = by_device["t-watch"]
        assert len(sick) == len(by_device["t-tv"])  # every one of its tests is reported
        for result in sick:
            assert result["status"] == "broken" and result_category(result) == "Device unavailable"
            check = attachment(tmp_path / fault, result, "t-watch health check").read_text()
            assert "health check of t-watch: FAIL" in check
        first = attachment(tmp_path / fault, sick[0], "t-watch health check").read_text()
        expected = "FAIL adb" if fault == "drop-adb" else "FAIL shell"
        assert expected in first, first


def test_a_device_that_reboots_mid_run_runs_its_remaining_tests(farm, tmp_path):
    reports = tmp_path / "reports"
    run = threading.Thread(
        target=lambda: setattr(run, "done", _smoke(farm, reports, ["t-spare", "t-phone"])[0])
    )
    run.start()
    time.sleep(3.0)
    farm.fault("t-spare", "reboot")
    run.join(timeout=300)
    done = run.done  # type: ignore[attr-defined]
    spare = _by_device(reports)["t-spare"]
    assert len(spare) == 11, done.stdout[-2000:]
    passed = [r for r in spare if r["status"] == "passed"]
    others = [result_category(r) for r in spare if r["status"] != "passed"]
    assert len(passed) >= 9, others
    assert set(others) <= {"Device lost", "Timeout"}, others  # only what ran as it went down
    assert all(r["status"] == "passed" for r in _by_device(reports)["t-phone"])


def test_exit_code_three_when_nothing_could_run(farm, tmp_path):
    farm.fault("t-watch", "drop-adb")
    try:
        done, _ = _smoke(farm, tmp_path / "reports", ["t-watch"], "-k", "identity")
    finally:
        farm.fault("t-watch", "all", "--clear")
    assert done.returncode == 3, done.stdout[-2000:]
    assert LAB  # the same `lab` CLI a user runs
