"""Fault knobs, set from outside the device process with `lab sim fault`."""

from __future__ import annotations

import time

import adbutils
import numpy as np
import pytest

from tests.virtual_farm import SERIALS

SERIAL = SERIALS["t-tv"]


def test_black_screen_then_clear(farm):
    device = farm.device(SERIAL)
    farm.fault("t-tv", "black-screen")
    try:
        assert np.asarray(device.screenshot(error_ok=False)).max() == 0
    finally:
        farm.fault("t-tv", "black-screen", "--clear")
    assert np.asarray(device.screenshot(error_ok=False)).max() > 100


def test_stalled_shell_times_out_then_recovers(farm):
    farm.fault("t-tv", "stall-shell", "--seconds", "3")
    device = adbutils.AdbClient(host="127.0.0.1", port=5037, socket_timeout=1).device(SERIAL)
    with pytest.raises(adbutils.AdbTimeout):
        device.shell("echo hi", timeout=1)
    time.sleep(3)
    assert farm.device(SERIAL).shell("echo back") == "back"


def test_slow_responses(farm):
    farm.fault("t-tv", "slow", "--value", "0.3", "--seconds", "10")
    try:
        started = time.monotonic()
        assert farm.device(SERIAL).shell("echo slow") == "slow"
        assert time.monotonic() - started >= 0.3
    finally:
        farm.fault("t-tv", "all", "--clear")


def test_drop_adb_then_the_server_reconnects(farm):
    farm.fault("t-tv", "drop-adb", "--seconds", "1")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done = farm.adb(SERIAL, "shell", "echo again", timeout=10)
        if done.stdout.strip() == "again":
            return
        time.sleep(0.3)
    raise AssertionError("the device did not come back after drop-adb")


def test_unknown_fault_and_device_are_clear_errors(farm):
    done = farm.fault("t-tv", "melt", check=False)
    assert done.returncode == 2 and "melt" in done.stderr
    done = farm.fault("nope", "slow", check=False)
    assert done.returncode == 2 and "nope" in done.stderr and "Traceback" not in done.stderr


def test_console_garbage_then_the_prompt_still_answers(farm):
    import serial

    path = farm.status()["t-tv"]["console"]
    with serial.Serial(path, 115200, timeout=0.5) as port:
        farm.fault("t-tv", "console-garbage", "--value", "300")
        junk = port.read(4096)
        assert len(junk) >= 300
        port.write(b"uptime\r")
        answer = b""
        deadline = time.monotonic() + 5
        while b"console:/ $ " not in answer and time.monotonic() < deadline:
            answer += port.read(4096)
        assert b"up " in answer
