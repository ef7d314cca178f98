"""Retry elsewhere: a test whose device is lost mid-test runs once more on another device
of its class and the report keeps both attempts; the lost device goes bad. A product
failure on a device that is still there is never run again. A test of several devices
gets another device for the lost one's role and keeps the others."""

from __future__ import annotations

import json
import re

from lab.report.categories import result_category
from tests.run.runs import labels, results, write_suite
from tests.virtual_farm import Farm

KILLS_ITS_DEVICE = """
import json, os, signal
from pathlib import Path

import pytest

@pytest.mark.device_class("phone")
def test_survives_losing_its_device(dut):
    assert dut.getprop("ro.product.model") == "TOS Phone P10"
    if dut.id == "t-spare":  # the first attempt: the device dies under the test
        record = Path(os.environ["LAB_RUNTIME_DIR"]) / "sim" / "t-spare.json"
        os.kill(json.loads(record.read_text())["pid"], signal.SIGKILL)
    assert dut.shell("echo still-here").stdout.strip() == "still-here"
"""

PAD_KILLED = """
import json, os, signal
from pathlib import Path

import pytest

@pytest.mark.devices(pad="phone:gamepad", screen="tv")
def test_a_pair_survives_losing_its_pad(duts):
    pad, screen = duts["pad"], duts["screen"]
    assert screen.getprop("ro.product.model") and pad.getprop("ro.product.model")
    if pad.id == "t-spare":  # the first attempt: the pad dies under the test
        record = Path(os.environ["LAB_RUNTIME_DIR"]) / "sim" / "t-spare.json"
        os.kill(json.loads(record.read_text())["pid"], signal.SIGKILL)
    assert pad.shell("echo still-here").stdout.strip() == "still-here"
    assert screen.shell("echo screen-here").stdout.strip() == "screen-here"
"""

FAILS = """
import pytest

@pytest.mark.device_class("phone")
def test_a_product_failure(dut):
    assert dut.getprop("ro.product.model") == "another model"
"""


def _run(farm, suite, reports, device="t-spare"):
    return farm.lab(
        "run", str(suite), "--inventory", str(farm.inventory), "--report-dir", str(reports),
        "--device", device, "--device", "t-phone", "-k", f"{device}", "--no-sim",
        check=False, timeout=300,
    )  # fmt: skip


def test_a_device_killed_mid_test_reruns_elsewhere_and_goes_bad(farm, tmp_path):
    suite = write_suite(tmp_path / "suite", KILLS_ITS_DEVICE)
    try:
        done = _run(farm, suite, tmp_path / "reports")
        attempts = sorted(results(tmp_path / "reports"), key=lambda r: r["start"])
        assert done.returncode == 0, done.stdout[-3000:]
        assert [labels(r, "parentSuite") for r in attempts] == [["t-spare"], ["t-phone"]]
        first, second = attempts
        assert first["status"] == "broken" and result_category(first) == "Device lost"
        assert second["status"] == "passed"
        assert first["historyId"] == second["historyId"]  # Allure shows them as retries
        assert "1 rerun" in done.stdout
        health = farm.health()["t-spare"]
        assert health["state"] == "bad" and health["why"].startswith("lost mid-test")
    finally:
        farm.lab("sim", "up", "--inventory", str(farm.inventory), "--only", "t-spare",
                 "--boot-seconds", "0.5")  # fmt: skip
        farm.lab("farm", "release", "--inventory", str(farm.inventory), "t-spare")


def _spare_first(farm: Farm) -> Farm:
    """The farm with t-spare listed before t-phone: a pair's pad is then t-spare."""
    text = farm.inventory.read_text()
    phone = re.search(r"  - id: t-phone\n(?:    .*\n)+", text).group(0)
    spare = re.search(r"  - id: t-spare\n(?:    .*\n)+", text).group(0)
    inventory = farm.inventory.with_name("spare-first.yaml")
    inventory.write_text(text.replace(phone, "", 1).replace(spare, spare + phone, 1))
    return Farm(inventory, farm.env)


def test_a_pair_whose_pad_is_killed_reruns_with_another_pad(farm, tmp_path):
    suite = write_suite(tmp_path / "suite", PAD_KILLED)
    spare_first = _spare_first(farm)
    try:
        done = spare_first.lab(
            "run", str(suite), "--inventory", str(spare_first.inventory),
            "--report-dir", str(tmp_path / "reports"), "--device", "t-spare",
            "--device", "t-phone", "--device", "t-tv", "--no-sim", check=False, timeout=300,
        )  # fmt: skip
        attempts = sorted(results(tmp_path / "reports"), key=lambda r: r["start"])
        assert done.returncode == 0, done.stdout[-3000:]
        assert [sorted(labels(r, "device")) for r in attempts] == [
            ["t-spare", "t-tv"],  # the pad died
            ["t-phone", "t-tv"],  # the screen kept, another pad
        ]
        first, second = attempts
        assert first["status"] == "broken" and result_category(first) == "Device lost"
        assert second["status"] == "passed" and "1 rerun" in done.stdout
        assert first["historyId"] == second["historyId"]
        assert farm.health()["t-spare"]["state"] == "bad"
    finally:
        farm.lab("sim", "up", "--inventory", str(farm.inventory), "--only", "t-spare",
                 "--boot-seconds", "0.5")  # fmt: skip
        farm.lab("farm", "release", "--inventory", str(farm.inventory), "t-spare")


def test_a_product_failure_is_not_run_again(farm, tmp_path):
    suite = write_suite(tmp_path / "suite", FAILS)
    done = _run(farm, suite, tmp_path / "reports")
    found = results(tmp_path / "reports")
    assert done.returncode == 1, done.stdout[-3000:]
    assert len(found) == 1 and found[0]["status"] == "failed", json.dumps(found)[:2000]
    assert result_category(found[0]) == "Product defect"
    assert "rerun" not in done.stdout
