"""The device handle: bounded calls with errors that name device and operation, the
console's expect, the UI's reconnect, and screenshots that refuse to lie."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from lab.device.dut import Dut
from lab.device.errors import BadCapture, DeviceError, DeviceTimeout
from lab.farm.leases import LeaseLost


def test_shell_v2_gives_exit_code_and_stderr(make_dut):
    result = make_dut("t-phone").shell("echo out; echo err >&2; exit 3")
    assert (result.exit_code, result.stdout, result.stderr) == (3, "out\n", "err\n")


def test_check_raises_with_the_device_and_command(make_dut):
    with pytest.raises(DeviceError, match=r"t-phone: shell 'false'"):
        make_dut("t-phone").shell("false", check=True)


def test_a_stalled_device_times_out_with_a_clear_error(farm, make_dut):
    farm.fault("t-tv", "stall-shell", "--seconds", "3")
    started = time.monotonic()
    with pytest.raises(DeviceTimeout) as caught:
        make_dut("t-tv").shell("echo hi", timeout=1)
    assert time.monotonic() - started < 2.5
    assert "t-tv: shell 'echo hi': timeout: no answer within 1 s" in str(caught.value)
    time.sleep(2.5)


def test_console_expect_timeout_shows_the_tail_and_the_log(make_dut):
    dut = make_dut("t-watch")
    dut.console.send("uptime")
    with pytest.raises(DeviceTimeout) as caught:
        dut.console.expect("never printed", timeout=1)
    message = str(caught.value)
    assert "uptime" in message and "up " in message  # what did come
    assert str(dut.console.log_path) in message
    assert dut.console.run("getprop ro.product.model") == "TOS Watch W1"
    assert b"TOS Watch W1" in dut.console.log_path.read_bytes()
    assert dut.console.run_status("ls /nowhere") == (1, "ls: /nowhere: No such file or directory")
    assert dut.console.run_status("echo ok") == (0, "ok")


def test_ui_works_again_after_the_agent_died_in_a_reboot(make_dut):
    dut = make_dut("t-spare", timeout=30)
    assert dut.ui.info["displayWidth"] == 1080
    dut.adb.reboot(timeout=60)  # the agent dies with the device's processes
    assert dut.ui.info["displayWidth"] == 1080  # relaunched (by uiautomator2 or by us)


class _DeadConnection:
    """A uiautomator2 handle whose connection broke (what a dropped transport leaves)."""

    def __getattr__(self, name):
        raise ConnectionError("connection reset by peer")


def test_ui_reconnects_once_when_its_connection_broke(make_dut):
    dut = make_dut("t-phone")
    dut.ui._d = _DeadConnection()
    assert dut.ui.info["displayWidth"] == 1080
    assert dut.ui.reconnects == 1


def test_a_capture_that_is_not_a_png_is_refused(make_dut, monkeypatch):
    dut = make_dut("t-watch")
    monkeypatch.setattr(dut.adb, "exec_out", lambda *a, **k: b"screencap: permission denied")
    with pytest.raises(BadCapture, match="t-watch: screenshot: bad capture: not a PNG"):
        dut.screenshot()


def test_screenshot_is_bgr_at_display_size(make_dut):
    image = make_dut("t-headset").screenshot()
    assert image.shape == (1600, 2880, 3)


def _touches(dut: Dut, x: int, y: int) -> int:
    log = dut.shell(["logcat", "-d", "-s", "InputDispatcher"]).stdout
    return log.count(f"touch ({x},{y})")


def test_a_tap_answered_late_happens_exactly_once(farm, make_dut):
    """Rule 3: the agent carries out the tap, then answers after the timeout. The harness
    says timeout and does not tap again (on a payment screen a second tap is a second
    payment); the device's input log shows one touch."""
    dut = make_dut("t-phone", timeout=2)
    dut.ui.press("home")
    x, y = 540, 2200  # empty launcher space: the touch lands on nothing
    before = _touches(dut, x, y)
    farm.fault("t-phone", "slow-agent", "--value", "4", "--seconds", "20")
    try:
        with pytest.raises(DeviceTimeout, match="not repeated: it may have happened"):
            dut.ui.click(x, y)
    finally:
        farm.fault("t-phone", "all", "--clear")
    time.sleep(4.5)  # past the agent's late answer: a repeat would have landed by now
    assert _touches(dut, x, y) - before == 1


def test_reads_are_asked_again_after_a_timeout(farm, make_dut):
    dut = make_dut("t-phone", timeout=2)
    dut.ui.press("home")
    farm.fault("t-phone", "slow-agent", "--value", "3", "--seconds", "1.5")
    assert dut.ui.info["displayWidth"] == 1080  # the first ask times out, the second answers
    assert dut.ui.reconnects == 1


def test_a_push_to_a_stalled_device_fails_within_its_timeout(farm, make_dut, tmp_path):
    payload = tmp_path / "big.bin"
    payload.write_bytes(os.urandom(4 << 20))
    dut = make_dut("t-tv")
    farm.fault("t-tv", "slow", "--value", "0.5", "--seconds", "20")
    started = time.monotonic()
    try:
        with pytest.raises(DeviceTimeout, match="push"):
            dut.adb.push(payload, "/data/local/tmp/big.bin", timeout=2)
        assert time.monotonic() - started < 3.5
        started = time.monotonic()
        with pytest.raises(DeviceTimeout, match="pull"):
            dut.adb.pull("/system/bin/toybox", tmp_path / "toybox", timeout=2)
        assert time.monotonic() - started < 3.5
        assert not (tmp_path / "toybox").exists()  # no half file left behind
    finally:
        farm.fault("t-tv", "all", "--clear")


def test_push_pull_read_and_install_through_the_harness(make_dut, tmp_path):
    import uiautomator2

    dut = make_dut("t-phone")
    payload = os.urandom(3 << 20)
    (tmp_path / "up.bin").write_bytes(payload)
    dut.adb.push(tmp_path / "up.bin", "/data/local/tmp/harness.bin")
    dut.adb.pull("/data/local/tmp/harness.bin", tmp_path / "down.bin")
    assert (tmp_path / "down.bin").read_bytes() == payload
    assert dut.adb.read_file("/data/local/tmp/harness.bin") == payload
    with pytest.raises(DeviceError, match="larger than 1000 bytes"):
        dut.adb.read_file("/data/local/tmp/harness.bin", limit=1000)
    apk = Path(uiautomator2.__file__).parent / "assets" / "app-uiautomator.apk"
    dut.adb.install(apk)
    assert "com.github.uiautomator" in dut.adb.packages()
    (tmp_path / "not.apk").write_bytes(b"not a zip")
    with pytest.raises(DeviceError, match="INSTALL_PARSE_FAILED_NOT_APK"):
        dut.adb.install(tmp_path / "not.apk")


def test_shell_takes_an_argv_list_quoted_for_the_device(make_dut):
    dut = make_dut("t-phone")
    tricky = ["printf", "%s|", "two words", "$(id)", "a;b", "it's", ""]
    assert dut.shell(tricky).stdout == "two words|$(id)|a;b|it's||"


def test_shell_output_is_capped_and_says_so(make_dut):
    from lab.device.adb import OUTPUT_LIMIT

    result = make_dut("t-phone", timeout=30).shell(
        f"head -c {OUTPUT_LIMIT + 5000} /dev/zero | tr '\\0' x"
    )
    assert result.truncated and len(result.stdout) < OUTPUT_LIMIT + 200
    assert result.stdout.endswith(f"[5000 bytes cut: over {OUTPUT_LIMIT} bytes]")


def test_logcat_service_keeps_lines_across_a_reboot(make_dut):
    dut = make_dut("t-spare", timeout=30)
    dut.start_captures()
    logcat = dut.captures["logcat"]
    mark = logcat.mark()
    dut.shell(["log", "-t", "LabReboot", "before"])
    dut.reboot(timeout=60)
    dut.shell(["log", "-t", "LabReboot", "after"])
    deadline = time.monotonic() + 10
    while "LabReboot: after" not in logcat.excerpt(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    text = logcat.excerpt(mark)
    assert "LabReboot: before" in text and "LabReboot: after" in text
    assert logcat.is_alive


def test_a_lost_lease_refuses_the_raw_clients_too(make_dut):
    """The fencing check sits under the wrapped calls and under the raw adbutils and
    uiautomator2 objects a suite may reach for: a refused action never reaches the device."""
    dut = make_dut("t-phone")
    marker = "/data/local/tmp/fenced"
    dut.shell(["rm", "-f", marker])
    element = dut.ui(text="Settings")  # a raw uiautomator2 object, made while the lease held
    lost = False

    def fence(operation: str) -> None:
        if lost:
            raise LeaseLost(f"t-phone: {operation}: refused, the lease is no longer ours")

    dut.adb.before_operation = fence
    assert dut.ui.info["displayWidth"] == 1080  # allowed while the lease is ours
    lost = True
    with pytest.raises(LeaseLost, match="ui agent request"):
        element.exists(timeout=0)
    with pytest.raises(LeaseLost, match="ui agent request"):
        dut.ui.d.click(10, 10)
    with pytest.raises(LeaseLost, match="adb connection"):
        dut.ui.d.shell(f"touch {marker}")
    with pytest.raises(LeaseLost, match="adb connection"):
        dut.adb.device.shell(f"touch {marker}")
    with pytest.raises(LeaseLost, match="tap"):
        dut.ui.tap(text="Settings")
    lost = False
    assert not dut.shell(["ls", marker]).ok  # nothing reached the device
