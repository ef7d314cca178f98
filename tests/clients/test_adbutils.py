"""adbutils (what the harness builds on) against virtual devices."""

from __future__ import annotations

import os

import pytest
from adbutils import AdbError, ReverseItem

from tests.virtual_farm import SERIALS, SIZES

pytestmark = pytest.mark.client("adbutils")


def test_shell_and_shell2(farm):
    device = farm.device(SERIALS["t-phone"])
    assert device.shell("echo hello") == "hello"
    result = device.shell2("echo a; false")  # adbutils appends `; echo X4EXIT:$?`
    assert result.returncode == 1 and result.output.strip() == "a"


def test_sync_push_pull(farm, tmp_path):
    device = farm.device(SERIALS["t-watch"])
    payload = os.urandom(300_000)
    source = tmp_path / "payload.bin"
    source.write_bytes(payload)
    device.sync.push(str(source), "/data/local/tmp/payload.bin")
    assert device.sync.read_bytes("/data/local/tmp/payload.bin") == payload
    assert "payload.bin" in device.sync.list("/data/local/tmp")[-1].path or any(
        entry.path == "payload.bin" for entry in device.sync.list("/data/local/tmp")
    )
    assert device.sync.stat("/data/local/tmp/payload.bin").size == len(payload)


def test_screenshot_window_size_and_keyevent(farm):
    serial = SERIALS["t-tv"]
    device = farm.device(serial)
    assert tuple(device.window_size()) == SIZES["t-tv"]
    image = device.screenshot(error_ok=False)
    assert image.size == SIZES["t-tv"]
    assert image.convert("L").getextrema()[1] > 100
    device.keyevent("HOME")
    assert device.app_current().package == "com.tos.launcher"


def test_app_start_and_current(farm):
    device = farm.device(SERIALS["t-phone"])
    device.app_start("com.tos.settings", ".Settings")
    current = device.app_current()
    pid = int(device.shell("pidof com.tos.settings"))
    assert (current.package, current.activity, current.pid) == (
        "com.tos.settings",
        ".Settings",
        pid,
    )
    device.app_stop("com.tos.settings")
    assert device.app_current().package == "com.tos.launcher"
    assert "com.tos.settings" in device.list_packages()


def test_reverse_list_and_remove(farm):
    device = farm.device(SERIALS["t-phone"])
    device.reverse("tcp:6141", "tcp:7141")
    assert ReverseItem("tcp:6141", "tcp:7141") in device.reverse_list()
    device.reverse_remove("tcp:6141")
    assert all(item.remote != "tcp:6141" for item in device.reverse_list())
    with pytest.raises(AdbError, match="listener 'tcp:6141' not found"):
        device.reverse_remove("tcp:6141")
