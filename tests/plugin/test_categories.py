"""Each report category from a real failure of its kind, sorted by the class of what was
raised (lab.errors.Category), never by the words of the message."""

from __future__ import annotations

import os

from lab.farm.file_store import FileLeaseStore
from lab.report.categories import result_category
from tests.run.runs import results, write_suite

KINDS = """
import pytest

def test_product_defect(dut):
    assert dut.getprop("ro.product.model") == "some other model"

def test_test_defect(dut):
    {}["the test's own bug"]

def test_device_timeout(dut):
    dut.shell("sleep 5", timeout=1)

def test_lab_infrastructure(dut):
    dut.adb.read_file("/data/local/tmp/nothing-here")

@pytest.mark.timeout(2)
def test_test_timeout(dut):
    import time
    time.sleep(10)

def test_passes(dut):
    pass
"""


def _run(farm, suite, reports, *extra: str):
    return farm.lab(
        "run",
        str(suite),
        "--device",
        "t-phone",
        "--inventory",
        str(farm.inventory),
        "--report-dir",
        str(reports),
        *extra,
        check=False,
        timeout=300,
    )


def test_each_failure_lands_in_its_category(farm, tmp_path):
    suite = write_suite(tmp_path / "suite", KINDS)
    reports = tmp_path / "reports"
    done = _run(farm, suite, reports)
    assert done.returncode == 1, done.stdout[-2000:]
    found = {r["name"].split("[")[0]: (r["status"], result_category(r)) for r in results(reports)}
    assert found == {
        "test_product_defect": ("failed", "Product defect"),
        "test_test_defect": ("broken", "Test defect"),
        "test_device_timeout": ("broken", "Timeout"),
        "test_lab_infrastructure": ("broken", "Lab infrastructure"),
        "test_test_timeout": ("failed", "Timeout"),
        "test_passes": ("passed", None),
    }


def test_a_lease_timeout_is_lab_infrastructure(farm, tmp_path):
    """Another holder keeps the device: the wait ends (shorter than the test timeout) as a
    lease timeout, in Lab infrastructure, not as a test timeout."""
    suite = write_suite(tmp_path / "suite", "def test_needs_the_phone(dut):\n    pass\n")
    store = FileLeaseStore(farm.inventory.parent / "reports" / ".leases")
    lease = store.acquire("t-phone", f"someone-else:{os.getpid()}", timeout=10)
    try:
        reports = tmp_path / "reports"
        done = _run(farm, suite, reports, "--pytest-arg=--lease-timeout=2")
    finally:
        store.release(lease)
    assert done.returncode == 1
    (result,) = results(reports)
    assert result["status"] == "broken" and result_category(result) == "Lab infrastructure"
    assert "no lease within 2 s" in result["statusDetails"]["message"]


def test_a_lease_wait_longer_than_the_test_timeout_is_refused(farm, tmp_path):
    suite = write_suite(tmp_path / "suite", "def test_any(dut):\n    pass\n")
    done = _run(
        farm, suite, tmp_path / "reports", "--test-timeout", "30", "--pytest-arg=--lease-timeout=60"
    )
    assert done.returncode == 2
    assert "must be shorter than the test timeout" in done.stdout + done.stderr
