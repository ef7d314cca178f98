"""The real adb CLI (the binary in the adbutils wheel) against virtual devices."""

from __future__ import annotations

import hashlib
import io
import os
import time
from pathlib import Path

import pytest
import uiautomator2
from PIL import Image

from tests.farm import MODELS, SERIALS, SIZES

APK = Path(uiautomator2.__file__).parent / "assets" / "app-uiautomator.apk"


def test_devices_lists_every_device_with_its_model(farm):
    listing = farm.adb(SERIALS["t-watch"], "devices", "-l").stdout
    for serial in SERIALS.values():
        assert serial in listing
    assert "model:TOS_Watch_W1" in listing and "device:watch" in listing


@pytest.mark.parametrize("device_id", sorted(MODELS))
def test_getprop_model_is_the_inventorys(farm, device_id):
    done = farm.adb(SERIALS[device_id], "shell", "getprop", "ro.product.model")
    assert done.stdout.strip() == MODELS[device_id]


@pytest.mark.parametrize(
    ("command", "code"),
    [("false", 1), ("true", 0), ("exit 7", 7), ("nosuchcommand", 127), ("false || exit 3", 3)],
)
def test_shell_exit_codes(farm, command, code):
    assert farm.adb(SERIALS["t-phone"], "shell", command).returncode == code


def test_shell_stdout_and_stderr_are_separate(farm):
    done = farm.adb(SERIALS["t-phone"], "shell", "echo out; echo err >&2")
    assert done.stdout == "out\n" and done.stderr == "err\n"


def test_push_then_pull_keeps_5mb_intact(farm, tmp_path):
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(5 * 1024 * 1024))
    serial = SERIALS["t-phone"]
    assert farm.adb(serial, "push", str(source), "/sdcard/new/dir/big.bin").returncode == 0
    back = tmp_path / "back.bin"
    assert farm.adb(serial, "pull", "/sdcard/new/dir/big.bin", str(back)).returncode == 0
    assert (
        hashlib.sha256(back.read_bytes()).digest() == hashlib.sha256(source.read_bytes()).digest()
    )
    listing = farm.adb(serial, "shell", "ls", "-l", "/sdcard/new/dir").stdout
    assert "5242880" in listing and "big.bin" in listing


@pytest.mark.parametrize("device_id", sorted(SIZES))
def test_exec_out_screencap_is_a_png_of_the_display(farm, device_id):
    done = farm.adb(SERIALS[device_id], "exec-out", "screencap", "-p", binary=True)
    assert done.stdout[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(done.stdout))
    assert image.size == SIZES[device_id]
    assert image.convert("L").getextrema()[1] > 100  # something is drawn: not a blank frame


def test_install_then_uninstall_the_real_apk(farm):
    serial = SERIALS["t-phone"]
    done = farm.adb(serial, "install", str(APK))
    assert done.returncode == 0 and "Success" in done.stdout
    assert "package:com.github.uiautomator" in farm.adb(serial, "shell", "pm list packages").stdout
    version = farm.adb(serial, "shell", "dumpsys package com.github.uiautomator").stdout
    assert "versionName=2.4.0" in version
    assert farm.adb(serial, "uninstall", "com.github.uiautomator").returncode == 0
    assert "com.github.uiautomator" not in farm.adb(serial, "shell", "pm list packages").stdout


def test_install_of_a_non_apk_fails_cleanly(farm, tmp_path):
    junk = tmp_path / "junk.apk"
    junk.write_bytes(b"not a zip at all" * 100)
    done = farm.adb(SERIALS["t-phone"], "install", str(junk))
    assert done.returncode != 0
    assert "INSTALL_PARSE_FAILED_NOT_APK" in done.stdout + done.stderr


def test_logcat_dump_prints_lines_and_filters(farm):
    serial = SERIALS["t-watch"]
    farm.adb(serial, "shell", "am start -n com.tos.settings/.Settings")
    lines = farm.adb(serial, "logcat", "-d").stdout.splitlines()
    assert len(lines) > 3
    assert any("ActivityTaskManager" in line and "com.tos.settings" in line for line in lines)
    only = farm.adb(serial, "logcat", "-d", "-s", "ActivityTaskManager").stdout.splitlines()
    assert only and all("ActivityTaskManager" in line for line in only)


def test_reboot_then_wait_for_device_and_boot_completed(farm):
    serial = SERIALS["t-spare"]
    farm.adb(serial, "push", __file__, "/data/local/tmp/marker.py")
    assert farm.adb(serial, "reboot").returncode == 0
    assert farm.adb(serial, "wait-for-device", timeout=60).returncode == 0
    deadline = time.monotonic() + 30
    booted = ""
    while time.monotonic() < deadline:
        booted = farm.adb(serial, "shell", "getprop sys.boot_completed", timeout=10).stdout.strip()
        if booted == "1":
            break
        time.sleep(0.2)
    assert booted == "1"
    # files live as long as the device process: a reboot keeps them
    assert "marker.py" in farm.adb(serial, "shell", "ls /data/local/tmp").stdout


def test_raw_screencap_has_the_header_and_rgba_pixels(farm):
    done = farm.adb(SERIALS["t-watch"], "exec-out", "screencap", binary=True)
    width, height, pixel_format = (
        int.from_bytes(done.stdout[i : i + 4], "little") for i in (0, 4, 8)
    )
    assert (width, height, pixel_format) == (454, 454, 1)  # RGBA_8888
    assert len(done.stdout) == 16 + 454 * 454 * 4
    corner = done.stdout[16:20]
    assert corner == b"\x00\x00\x00\xff"  # a round watch is black outside its circle


def test_logcat_streams_new_lines(farm):
    import subprocess

    from tests.farm import ADB

    serial = SERIALS["t-phone"]
    stream = subprocess.Popen(
        [ADB, "-s", serial, "logcat", "-v", "brief", "-T", "1", "ActivityTaskManager:I", "*:S"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(0.5)
        farm.adb(serial, "shell", "am start -n com.tos.settings/.About")
        deadline = time.monotonic() + 10
        seen = ""
        os.set_blocking(stream.stdout.fileno(), False)
        while "About" not in seen and time.monotonic() < deadline:
            seen += stream.stdout.read() or ""
            time.sleep(0.1)
        assert "I/ActivityTaskManager" in seen and "com.tos.settings/.About" in seen
    finally:
        stream.kill()
        stream.wait()
