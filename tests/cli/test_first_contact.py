"""A first suite without friction, tried as a new user would: a misspelt marker, class or
capability is an error naming the fix; an unknown device id is refused before anything
starts; `lab device ui` shows a resource id that `dut.ui` then finds; `lab doctor` names
a missing part and its fix; Ctrl-C ends with a partial report and no traceback; a timed-out
test shows its own stack; a device is held by hand; devices the inventory lacks are
discovered."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time

import pytest

from tests.run.runs import write_suite
from tests.virtual_farm import LAB

TYPOS = """
import pytest

@pytest.mark.{marker}
def test_x(dut):
    pass
"""
SLOW = """
import time
import pytest

@pytest.mark.device_class("watch")
def test_quick(dut):
    pass

@pytest.mark.device_class("watch")
def test_slow(dut):
    time.sleep(60)
"""
TIMES_OUT = """
import time
import pytest

@pytest.mark.timeout(2)
@pytest.mark.device_class("watch")
def test_sleeps(dut):
    time.sleep(10)
"""


def _run(home, *args: str, **extra):
    return home.lab("run", *args, "--inventory", str(home.inventory), check=False, **extra)


@pytest.mark.parametrize(
    ("marker", "said"),
    [
        ('device_clas("watch")', "'device_clas' not found in `markers`"),
        ('requires("tuoch")', "unknown capability 'tuoch' (did you mean 'touch'?)"),
        ('device_class("watches")', "unknown device class 'watches' (did you mean 'watch'?)"),
    ],
)
def test_a_misspelt_marker_is_an_error(home, tmp_path, marker, said):
    suite = write_suite(tmp_path / "suite", TYPOS.format(marker=marker))
    done = _run(home, str(suite), "--no-sim", "--report-dir", str(tmp_path / "r"))
    assert done.returncode == 2 and said in done.stdout, done.stdout[-2000:]


def test_an_unknown_device_is_refused_before_anything_starts(home, tmp_path):
    fresh = {**home.env, "LAB_RUNTIME_DIR": str(tmp_path / "runtime")}
    done = subprocess.run([LAB, "run", "tos/smoke", "--inventory", str(home.inventory),
                           "--device", "t-watc", "--device", "t-tv"], env=fresh,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2 and "--device t-watc: not in" in done.stderr
    assert "did you mean 't-watch'" in done.stderr and "t-phone" in done.stderr
    assert "JUnit" not in done.stdout
    runtime = tmp_path / "runtime"  # nothing was started: no device, no service records
    assert not list(runtime.glob("sim/*.json")) and not list(runtime.glob("services/*.json"))


def test_lab_device_ui_shows_an_id_dut_ui_then_finds(farm, make_dut):
    done = farm.lab("device", "ui", "t-phone", "--inventory", str(farm.inventory))
    ids = re.findall(r'resourceId="([^"]+)"', done.stdout)
    assert "com.tos.launcher:id/app_settings" in ids, done.stdout
    phone = make_dut("t-phone")
    assert phone.ui.exists(timeout=5, resourceId="com.tos.launcher:id/app_settings")
    lines = [line for line in done.stdout.splitlines() if "app_settings" in line]
    assert re.search(r"\[\d+,\d+\]\[\d+,\d+\].*clickable", lines[0]), lines


def test_lab_doctor_names_a_missing_part_and_its_fix(home, tmp_path):
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for tool in ("cc", "unshare", "npm", "apksigner", "espeak-ng", "sox", "redis-server"):
        found = shutil.which(tool)
        if found:
            (bin_ / tool).symlink_to(found)
    done = subprocess.run([LAB, "doctor"], env={**home.env, "PATH": str(bin_)},
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 1, done.stdout
    assert "MISSING  patchelf (for the virtual farm)" in done.stdout
    assert "fix: apt-get install -y patchelf" in done.stdout
    assert "missing  ser2net (for lab farm export)" in done.stdout  # optional: named, not fatal
    whole = subprocess.run([LAB, "doctor"], env=home.env, capture_output=True, text=True,
                           timeout=120)  # fmt: skip
    assert whole.returncode == 0 and "the virtual farm can run here" in whole.stdout


def test_ctrl_c_leaves_a_partial_report_and_no_traceback(farm, tmp_path):
    suite = write_suite(tmp_path / "suite", SLOW)
    reports = tmp_path / "reports"
    run = subprocess.Popen(
        [LAB, "run", str(suite), "--inventory", str(farm.inventory), "--device", "t-watch",
         "--report-dir", str(reports)],
        env=farm.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own group, as a terminal's foreground job is
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not list((reports / "allure-results").glob("*-result.json")):
        assert run.poll() is None and time.monotonic() < deadline, "test_quick never ended"
        time.sleep(0.2)
    time.sleep(1.0)  # test_slow is running
    os.killpg(run.pid, signal.SIGINT)  # Ctrl-C
    out, err = run.communicate(timeout=180)
    assert run.returncode == 130, out[-2000:] + err[-2000:]
    assert "interrupted" in err and "Traceback" not in err, err[-2000:]
    assert "Allure report (partial)" in out
    config = (reports / "allurerc.mjs").read_text()
    assert "PARTIAL" in config
    files = (reports / "allure-results").glob("*-result.json")
    found = {r["name"]: r for r in (json.loads(p.read_text()) for p in files)}
    assert found["test_quick[t-watch]"]["status"] == "passed"
    slow = found["test_slow[t-watch]"]  # interrupted: never "passed" (Allure's default)
    assert slow["status"] == "skipped" and "interrupted" in slow["statusDetails"]["message"]


def test_a_timed_out_test_shows_its_own_stack(farm, tmp_path):
    suite = write_suite(tmp_path / "suite", TIMES_OUT)
    done = _run(farm, str(suite), "--device", "t-watch", "--report-dir", str(tmp_path / "r"))
    assert done.returncode == 1 and "Timeout (>2.0s)" in done.stdout, done.stdout[-2000:]
    assert "time.sleep(10)" in done.stdout  # the test's own line
    assert "Stack of" not in done.stdout  # not the lab's threads'


def test_a_device_held_by_hand_is_no_runs_until_released(farm):
    holding = subprocess.Popen(
        [LAB, "farm", "hold", "t-spare", "--for", "2m", "--why", "soldering the battery",
         "--inventory", str(farm.inventory)],
        env=farm.env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert "held until" in holding.stdout.readline()
        health = farm.lab("farm", "health", "--inventory", str(farm.inventory), "--json")
        [row] = [d for d in json.loads(health.stdout)["devices"] if d["device_id"] == "t-spare"]
        assert "lab farm hold" in row["holder"] and "soldering" in row["test"], row
    finally:
        holding.send_signal(signal.SIGINT)
        holding.wait(timeout=30)
    health = farm.lab("farm", "health", "--inventory", str(farm.inventory), "--json")
    [row] = [d for d in json.loads(health.stdout)["devices"] if d["device_id"] == "t-spare"]
    assert not row["holder"]


def test_devices_the_inventory_lacks_are_discovered(farm, tmp_path):
    """An inventory naming only the watch, while the test farm's phone is attached."""
    lines = farm.inventory.read_text().splitlines()
    start = lines.index("  - id: t-tv")  # the watch's entry comes first, and stays
    end = next(i for i, line in enumerate(lines) if line.startswith("peripherals:"))
    small = tmp_path / "small.yaml"
    small.write_text("\n".join(lines[:start] + lines[end:]) + "\n")
    done = farm.lab("devices", "--discover", "--inventory", str(small))
    port = re.search(r"t-phone.*?serial: \"127\.0\.0\.1:(\d+)", farm.inventory.read_text(),
                     re.S).group(1)  # fmt: skip
    entry = done.stdout.split(f'127.0.0.1:{port}"')[0].rsplit("- id:", 1)[1]
    assert "class: phone" in entry and "model: TOS Phone P10" in entry, done.stdout
    farm.lab("devices", "--discover", "--inventory", str(small), "--write", str(small))
    assert f'serial: "127.0.0.1:{port}"' in small.read_text()
    listed = farm.lab("devices", "--inventory", str(small), "--json")  # it loads, checked
    assert len(json.loads(listed.stdout)["devices"]) > 1
