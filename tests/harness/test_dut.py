"""The device handle: bounded calls with errors that name device and operation, the
console's expect, the UI's reconnect, and screenshots that refuse to lie."""

from __future__ import annotations

import time

import pytest

from lab.device.dut import Dut
from lab.device.errors import BadCapture, DeviceError, DeviceTimeout
from lab.inventory import load_inventory


@pytest.fixture
def make_dut(farm, monkeypatch, tmp_path):
    monkeypatch.setenv("LAB_RUNTIME_DIR", farm.env["LAB_RUNTIME_DIR"])  # where ptys are announced
    inventory = load_inventory(farm.inventory)
    opened: list[Dut] = []

    def make(device_id: str, timeout: float = 10) -> Dut:
        dut = Dut(inventory.device(device_id), inventory.farm, tmp_path / "logs", timeout=timeout)
        opened.append(dut)
        return dut

    yield make
    for dut in opened:
        dut.close()


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
