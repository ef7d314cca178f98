"""`lab run` end to end on the test farm: artifacts of failures, labels, exit codes,
parallel devices without double leases, and a device dying mid-run."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from lab.farm.leases import overlaps
from lab.report.categories import result_category as _category
from tests.run.runs import attachment, labels, lease_spans, results, write_suite
from tests.virtual_farm import LAB

FAILING = """
import allure

def test_fails_on_purpose(dut):
    with allure.step("open Settings"):
        dut.ui.press("home")
        dut.ui.tap(text="Settings")
    dut.shell("log -t Purpose about-to-fail")
    dut.console.run("uptime")
    assert dut.getprop("ro.product.model") == "not this model"

def test_passes(dut, attach):
    attach.text("note", "kept because the test attached it")
"""


def _run(farm, *args: str) -> subprocess.CompletedProcess:
    return farm.lab("run", *args, "--inventory", str(farm.inventory), check=False, timeout=300)


def test_a_failure_leaves_screenshot_hierarchy_logcat_and_console(farm, tmp_path):
    suite = write_suite(tmp_path / "suite", FAILING)
    reports = tmp_path / "reports"
    done = _run(farm, str(suite), "--device", "t-watch", "--report-dir", str(reports))
    assert done.returncode == 1, done.stdout + done.stderr  # CI gates on it
    by_name = {r["name"].split("[")[0]: r for r in results(reports)}
    failed, passed = by_name["test_fails_on_purpose"], by_name["test_passes"]
    assert failed["status"] == "failed" and passed["status"] == "passed"

    png = attachment(reports, failed, "t-watch screenshot").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert "<hierarchy" in attachment(reports, failed, "t-watch ui hierarchy").read_text()
    assert "about-to-fail" in attachment(reports, failed, "t-watch logcat").read_text()
    assert "up " in attachment(reports, failed, "t-watch console").read_text()
    # the harness's actions are steps of the story, with their durations, nested under
    # the suite's own
    steps = failed["steps"]
    assert [s["name"] for s in steps[:3]] == [
        "open Settings",
        "t-watch: shell log -t Purpose about-to-fail",
        "t-watch: console run uptime",
    ]
    assert [s["name"] for s in steps[0]["steps"]] == [
        "t-watch: press home",
        "t-watch: tap text='Settings'",
    ]
    assert not steps[2].get("steps")  # console run's own send and expect are not repeated
    for step in [*steps[:3], *steps[0]["steps"]]:
        assert step["status"] == "passed" and step["stop"] >= step["start"] > 0
    # a passing test keeps only what it attached itself
    assert [a["name"] for a in passed.get("attachments", [])] == ["note"]

    assert labels(failed, "epic") == ["watch"]
    assert labels(failed, "parentSuite") == ["t-watch"]
    assert {"TOS Watch W1", "TOS+ 1.2"} <= set(labels(failed, "tag"))
    environment = (reports / "allure-results" / "environment.properties").read_text()
    assert "device.t-watch=tos/" in environment
    assert (reports / "allure-report" / "index.html").is_file()
    junit = (reports / "junit.xml").read_text()
    assert 'failures="1"' in junit
    assert "Allure report:" in done.stdout and "t-watch" in done.stdout

    # `lab report` again, as one self-contained file (a CI artifact); history accumulates
    again = farm.lab(
        "report", "--inventory", str(farm.inventory), "--report-dir", str(reports), "--single-file"
    )
    assert "Allure report:" in again.stdout
    assert not (reports / "allure-report" / "data").exists()
    assert (reports / "allure-report" / "index.html").stat().st_size > 100_000
    assert len((reports / "history.jsonl").read_text().splitlines()) == 2


def test_three_devices_at_once_never_share_a_device(farm, tmp_path):
    reports = tmp_path / "reports"
    devices = ["t-watch", "t-tv", "t-headset", "t-phone"]
    args = [a for d in devices for a in ("--device", d)]
    started = time.monotonic()
    done = _run(farm, "tos/smoke", "-n", "3", *args, "--report-dir", str(reports))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert len(results(reports)) == 44  # 11 smoke tests on each of 4 devices
    log = Path(farm.inventory).parent / "reports" / ".leases" / "leases.jsonl"
    assert overlaps(log) == []
    # ...and devices did run at the same time: some two leases of different devices overlap
    since = time.time() - (time.monotonic() - started) - 1
    spans = {d: [(a, b) for _, a, b in held] for d, held in lease_spans(log, since).items()}
    concurrent = any(
        a0 < b1 and b0 < a1
        for d1 in spans
        for d2 in spans
        if d1 < d2
        for a0, a1 in spans[d1]
        for b0, b1 in spans[d2]
    )
    assert concurrent, "no two devices were leased at the same time"
    holders = {
        json.loads(line)["holder"].rsplit(":", 1)[-1] for line in log.read_text().splitlines()
    }
    assert {"gw0", "gw1", "gw2"} <= holders
    # each device stays with one worker (its tests form an xdist group)
    recent = [json.loads(line) for line in log.read_text().splitlines()]
    recent = [e for e in recent if e["t"] >= time.time() - (time.monotonic() - started) - 1]
    for device in devices:
        workers = {e["holder"] for e in recent if e["device"] == device and e["event"] == "acquire"}
        assert len(workers) == 1, (device, workers)


LONG = """
import time

def test_keeps_talking(dut):
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline:
        assert dut.shell("echo tick").stdout.strip() == "tick"
        time.sleep(0.05)
"""


def test_a_device_killed_mid_run(farm, tmp_path):
    suite = write_suite(tmp_path / "suite", LONG)
    reports = tmp_path / "reports"
    devices = ["t-spare", "t-watch", "t-phone"]
    args = [a for d in devices for a in ("--device", d)]
    run = subprocess.Popen(
        [
            LAB,
            "run",
            str(suite),
            "-n",
            "3",
            *args,
            "--inventory",
            str(farm.inventory),
            "--report-dir",
            str(reports),
        ],
        env=farm.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lease = Path(farm.inventory).parent / "reports" / ".leases" / "t-spare.json"
    deadline = time.monotonic() + 60
    while not lease.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    victim = farm.status()["t-spare"]["pid"]
    subprocess.run(["kill", "-9", str(victim)], check=True)
    killed_at = time.time()
    output, _ = run.communicate(timeout=180)
    try:
        # its test ran again on the other phone and passed (tests/farm/
        # test_retry_elsewhere.py has the rules); the lost attempt is reported too
        assert run.returncode == 0, output[-3000:]
        found = sorted(results(reports), key=lambda r: r["start"])
        by_device = {labels(r, "parentSuite")[0]: r for r in found}
        assert set(by_device) == set(devices)  # every result is on disk
        assert [labels(r, "parentSuite")[0] for r in found].count("t-phone") == 2
        lost = by_device["t-spare"]
        assert lost["status"] in ("failed", "broken")
        message = lost["statusDetails"]["message"]
        assert "device lost" in message
        assert lost["stop"] / 1000 - killed_at < 10, "the test took too long to notice"
        assert _category(lost) == "Device lost"
        for other in ("t-watch", "t-phone"):
            assert by_device[other]["status"] == "passed"
    finally:
        farm.lab(
            "sim",
            "up",
            "--inventory",
            str(farm.inventory),
            "--only",
            "t-spare",
            "--boot-seconds",
            "0.2",
        )


def test_a_test_no_device_can_run_is_skipped_with_the_reason(farm, tmp_path):
    suite = write_suite(
        tmp_path / "suite",
        """
import pytest

@pytest.mark.requires("heart_rate")
def test_needs_a_heart_rate_sensor(dut):
    pass

@pytest.mark.device_class("headset")
def test_needs_a_headset(dut):
    pass

@pytest.mark.devices(pad="phone", screen="tv")
def test_phone_as_game_pad_for_tv(duts):
    assert duts["pad"].info.device_class == "phone"
    assert duts["screen"].info.device_class == "tv"
    assert duts["pad"].shell("echo pad").stdout.strip() == "pad"
""",
    )
    reports = tmp_path / "reports"
    done = _run(
        farm, str(suite), "--device", "t-tv", "--device", "t-phone", "--report-dir", str(reports)
    )
    assert done.returncode == 0, done.stdout[-2000:]
    by_name = {r["name"].split("[")[0]: r for r in results(reports)}
    skipped = by_name["test_needs_a_heart_rate_sensor"]
    assert skipped["status"] == "skipped"
    assert "heart_rate" in skipped["statusDetails"]["message"]
    assert "class headset" in by_name["test_needs_a_headset"]["statusDetails"]["message"]
    assert by_name["test_phone_as_game_pad_for_tv"]["status"] == "passed"


def test_bad_paths_and_inventory_are_clear_errors(farm, tmp_path):
    done = _run(farm, str(tmp_path / "nope"))
    assert done.returncode == 2 and "no such test path" in done.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("devices: []\n")
    done = farm.lab("run", "--inventory", str(bad), check=False)
    assert done.returncode == 2 and "bad.yaml:1" in done.stderr


def test_golden_check_passes_then_fails_as_vision_mismatch_on_a_black_screen(farm, tmp_path):
    reports = tmp_path / "reports"
    done = _run(farm, "tos/smoke", "-k", "golden", "--device", "t-tv", "--report-dir", str(reports))
    assert done.returncode == 0, done.stdout[-2000:]
    farm.fault("t-tv", "black-screen", "--seconds", "30")
    try:
        done = _run(
            farm, "tos/smoke", "-k", "golden", "--device", "t-tv", "--report-dir", str(reports)
        )
    finally:
        farm.fault("t-tv", "all", "--clear")
    assert done.returncode == 1
    (result,) = results(reports)
    message = result["statusDetails"]["message"]
    assert result["status"] == "failed" and message.startswith(
        "lab.vision.errors.VisionMismatch: vision mismatch: settings on t-tv"
    )
    assert _category(result) == "Vision mismatch"
    for name in ("settings: expected", "settings: actual", "settings: diff"):
        assert attachment(reports, result, name).read_bytes().startswith(b"\x89PNG")
