"""The real adb CLI (the binary in the adbutils wheel) against virtual devices."""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
from pathlib import Path

import pytest
import uiautomator2
from PIL import Image

from tests.video import probe
from tests.virtual_farm import MODELS, SERIALS, SIZES

APK = Path(uiautomator2.__file__).parent / "assets" / "app-uiautomator.apk"
pytestmark = pytest.mark.client("adb CLI")


def _sh(farm, device_id: str, command: str):
    return farm.adb(SERIALS[device_id], "shell", command)


@pytest.mark.parametrize("device_id", sorted(MODELS))
def test_the_shell_is_a_real_shell_on_every_class(farm, device_id):
    done = _sh(farm, device_id, "echo $(getprop ro.product.model); for i in 1 2; do echo $i; done")
    assert done.returncode == 0 and done.stdout == f"{MODELS[device_id]}\n1\n2\n"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("echo `getprop ro.product.device` $((1+2))", "phone 3"),
        ("if [ -d /sdcard ]; then echo dir; else echo no; fi", "dir"),
        ("case tos in t*) echo matched;; esac", "matched"),
        ("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i", "3"),
        ("test 2 -gt 1 && echo yes", "yes"),
        ("printf '%05d|%s\\n' 42 x", "00042|x"),
        ("echo a,b,c | cut -d, -f2", "b"),
        ("printf 'a\\nb\\n' | wc -l", "2"),
        ("echo hi | awk '{print toupper($0)}'", "HI"),
        ("which ls; command -v pm", "/system/bin/ls\n/system/bin/pm"),
        ("date +%Y | grep -c '^20[0-9][0-9]$'", "1"),
        ("id", "uid=2000(shell) gid=2000(shell) groups=2000(shell)"),
        ("df /data | tail -1 | awk '{print $6}'", "/"),
        ("pidof com.tos.launcher | grep -c '^[0-9]'", "1"),
        ("ps -A | grep -c ' com.tos.launcher$'", "1"),
        ("cp /dev/null /data/local/tmp/empty && stat -c %s /data/local/tmp/empty", "0"),
        ("touch /system/x 2>&1", "touch: '/system/x': Read-only file system"),
        ("settings put system screen_brightness 77; settings get system screen_brightness", "77"),
        ("frobnicate 2>&1; echo $?", "/system/bin/sh: frobnicate: inaccessible or not found\n127"),
        ("getprop init.svc.bootanim", "stopped"),
        ("dumpsys window windows | grep -c mCurrentFocus", "0"),  # Android 10+: per display
        ("dumpsys window | grep -c 'mCurrentFocus=Window{'", "1"),
    ],
)
def test_shell_commands_answer_as_on_a_device(farm, command, expected):
    done = _sh(farm, "t-phone", command)
    assert done.stdout.strip() == expected, done.stderr


def test_am_start_missing_activity_says_so(farm):
    done = _sh(farm, "t-phone", "am start -n com.tos.settings/.Missing")
    # as ActivityManagerShellCommand: the error on stderr, and exit status 0
    assert (
        "Error: Activity class {com.tos.settings/com.tos.settings.Missing} does not exist."
        in done.stderr
    )
    assert done.returncode == 0


def test_am_start_wait_reports_status_and_times(farm):
    done = _sh(
        farm, "t-phone", "am force-stop com.tos.settings; am start -W -n com.tos.settings/.About"
    )
    lines = dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
    assert lines["Status"] == "ok" and lines["LaunchState"] == "COLD"
    assert lines["Activity"] == "com.tos.settings/.About" and int(lines["TotalTime"]) > 0
    assert done.stdout.rstrip().endswith("Complete")
    farm.adb(SERIALS["t-phone"], "shell", "input keyevent HOME")


def test_pm_list_packages_with_paths(farm):
    listing = _sh(farm, "t-phone", "pm list packages -f com.tos.settings").stdout.strip()
    assert listing == "package:/system/priv-app/Settings/Settings.apk=com.tos.settings"


def test_uiautomator_dump_compressed_to_a_file(farm):
    done = _sh(farm, "t-phone", "uiautomator dump --compressed /sdcard/ui.xml")
    assert done.stdout.strip() == "UI hierchary dumped to: /sdcard/ui.xml"
    assert _sh(farm, "t-phone", "ls /sdcard/--compressed").returncode != 0
    assert "<hierarchy" in _sh(farm, "t-phone", "cat /sdcard/ui.xml").stdout


def test_uiautomator_dump_to_the_tty(farm):
    # with a pty (-t -t) /dev/tty is the session's terminal; without one it does not exist
    with_tty = farm.adb(SERIALS["t-phone"], "shell", "-t", "-t", "uiautomator dump /dev/tty")
    assert "<hierarchy" in with_tty.stdout and "dumped to: /dev/tty" in with_tty.stdout
    without = _sh(farm, "t-phone", "uiautomator dump /dev/tty")
    assert without.returncode == 1 and "No such device or address" in without.stderr


def test_pull_a_directory_as_it_is(farm, tmp_path):
    _sh(farm, "t-phone", "rm -rf /sdcard/tree; mkdir -p /sdcard/tree/sub")
    _sh(farm, "t-phone", "echo 1 > /sdcard/tree/a; echo 2 > /sdcard/tree/sub/b")
    assert farm.adb(SERIALS["t-phone"], "pull", "/sdcard/tree", str(tmp_path)).returncode == 0
    found = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert found == ["tree", "tree/a", "tree/sub", "tree/sub/b"]


def test_logcat_since_a_time(farm):
    _sh(farm, "t-phone", "log -t CliTime before")
    time.sleep(1.1)
    stamp = _sh(farm, "t-phone", "date '+%m-%d %H:%M:%S.000'").stdout.strip()
    _sh(farm, "t-phone", "log -t CliTime after")
    lines = _sh(farm, "t-phone", f"logcat -d -T '{stamp}' -s CliTime").stdout
    assert "after" in lines and "before" not in lines


def test_reverse_forward_carries_a_connection_to_the_host(farm):
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    host_port = server.getsockname()[1]
    threading.Thread(
        target=lambda: server.accept()[0].sendall(b"hello from the host"), daemon=True
    ).start()
    serial = SERIALS["t-phone"]
    device_port = farm.adb(serial, "reverse", "tcp:0", f"tcp:{host_port}").stdout.strip()
    assert f"tcp:{device_port} tcp:{host_port}" in farm.adb(serial, "reverse", "--list").stdout
    # stdin stays open (adb streams have no half-close: an EOF closes the connection)
    got = _sh(farm, "t-phone", f"sleep 3 | nc -W 5 127.0.0.1 {device_port}").stdout
    assert got == "hello from the host"
    farm.adb(serial, "reverse", "--remove-all")
    assert farm.adb(serial, "reverse", "--list").stdout.strip() == ""
    server.close()


def test_reverse_of_a_fixed_port_prints_it_and_lists_the_connection(farm):
    serial = SERIALS["t-phone"]
    # adbd (Android 10+) returns the port of each listener it binds; adb prints it
    done = farm.adb(serial, "reverse", "tcp:6151", "tcp:7151")
    assert (done.returncode, done.stdout) == (0, "6151\n")
    again = farm.adb(serial, "reverse", "tcp:6151", "tcp:7152")  # re-pointed, not bound
    assert (again.returncode, again.stdout) == (0, "")
    listing = farm.adb(serial, "reverse", "--list").stdout.splitlines()
    assert any(re.fullmatch(r"host-\d+ tcp:6151 tcp:7152", line) for line in listing), listing
    assert farm.adb(serial, "reverse", "--remove", "tcp:6151").returncode == 0
    gone = farm.adb(serial, "reverse", "--remove", "tcp:6151")
    assert gone.returncode == 1 and "listener 'tcp:6151' not found" in gone.stderr


@pytest.mark.parametrize(
    ("intent", "component"),
    [
        ("-a android.settings.SETTINGS", "com.tos.settings/.Settings"),
        ("-a android.settings.DEVICE_INFO_SETTINGS", "com.tos.settings/.About"),
        ("-a android.intent.action.MAIN -c android.intent.category.HOME", "com.tos.launcher/.Home"),
    ],
)
def test_am_start_resolves_an_implicit_intent(farm, intent, component):
    _sh(farm, "t-phone", "am start -W -n com.tos.settings/.DeviceName")
    done = _sh(farm, "t-phone", f"am start -W {intent}")
    assert f"Activity: {component}\n" in done.stdout, done.stdout + done.stderr
    assert f"ACTIVITY {component} " in _sh(farm, "t-phone", "dumpsys activity top").stdout
    _sh(farm, "t-phone", "input keyevent HOME")


def test_screenrecord_writes_an_h264_mp4_of_the_time_asked(farm, tmp_path):
    done = _sh(farm, "t-phone", "screenrecord --time-limit 2 /sdcard/x.mp4; echo rc=$?")
    assert done.stdout.endswith("rc=0\n"), done.stdout + done.stderr
    pulled = farm.adb(SERIALS["t-phone"], "pull", "/sdcard/x.mp4", str(tmp_path / "x.mp4"))
    assert pulled.returncode == 0, pulled.stderr
    assert probe(tmp_path / "x.mp4") == ("h264", 1080, 2340, pytest.approx(2.0, abs=0.25))


@pytest.mark.clear_failure
def test_screenrecord_refuses_an_unknown_option(farm):
    done = _sh(farm, "t-phone", "screenrecord --frobnicate /sdcard/x.mp4")
    assert done.returncode == 2 and "Unknown option '--frobnicate'" in done.stderr
    assert "Usage: screenrecord" in done.stderr


@pytest.mark.clear_failure
def test_am_stack_list_is_not_supported(farm):
    # Android 13 lists its root tasks; this device says it cannot (dumpsys activity can)
    done = _sh(farm, "t-phone", "am stack list")
    assert done.returncode == 255 and "not supported" in done.stderr


@pytest.mark.clear_failure
def test_root_is_refused_on_a_user_build(farm):
    done = farm.adb(SERIALS["t-phone"], "root")
    assert "adbd cannot run as root in production builds" in done.stdout + done.stderr


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

    from tests.virtual_farm import ADB

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
