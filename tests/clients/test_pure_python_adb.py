"""pure-python-adb (ppadb): an adb-server client with a device API of its own."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.virtual_farm import SERIALS, SIZES

pytestmark = pytest.mark.client("pure-python-adb")


@pytest.fixture(scope="module")
def device(farm):
    from ppadb.client import Client

    client = Client(host="127.0.0.1", port=5037)
    found = client.device(SERIALS["t-phone"])
    assert found is not None
    found.shell("input keyevent HOME")
    return found


def test_server_lists_the_farm(farm):
    from ppadb.client import Client

    serials = {d.serial for d in Client(host="127.0.0.1", port=5037).devices()}
    assert {SERIALS["t-phone"], SERIALS["t-watch"]} <= serials


def test_shell(device):
    assert device.shell("echo $(getprop ro.product.model)") == "TOS Phone P10\n"


def test_properties(device):
    props = device.get_properties()
    assert props["ro.product.model"] == "TOS Phone P10" and props["ro.build.version.sdk"] == "33"


def test_packages(device):
    assert "com.tos.settings" in device.list_packages()
    assert device.is_installed("com.tos.settings") and not device.is_installed("com.nope")


def test_screencap(device):
    assert Image.open(io.BytesIO(device.screencap())).size == SIZES["t-phone"]


def test_push_and_pull(device, tmp_path):
    (tmp_path / "up.txt").write_text("ppadb")
    device.push(str(tmp_path / "up.txt"), "/data/local/tmp/ppadb.txt")
    device.pull("/data/local/tmp/ppadb.txt", str(tmp_path / "down.txt"))
    assert (tmp_path / "down.txt").read_text() == "ppadb"


def test_input_tap_opens_settings(device):
    device.input_keyevent("KEYCODE_HOME")
    xml = device.shell("uiautomator dump /sdcard/d.xml >/dev/null && cat /sdcard/d.xml")
    assert 'text="Settings"' in xml
    device.input_tap(300, 400)  # the first tile of the phone's launcher
    assert device.get_top_activity().package == "com.tos.settings"
    device.input_keyevent("KEYCODE_BACK")


def test_input_swipe_and_text(device):
    assert device.input_swipe(500, 1500, 500, 600, 200) == ""
    assert device.input_text("hello") == ""


def test_wm_size_and_density(device):
    assert tuple(device.wm_size()) == SIZES["t-phone"]
    assert device.wm_density() == 440 // 160  # ppadb reports the density bucket


def test_top_activity_and_pid(device):
    device.shell("am start -W -n com.tos.settings/.About")
    top = device.get_top_activity()
    assert (top.package, top.activity) == ("com.tos.settings", ".About")
    assert int(top.pid) == int(device.get_pid("com.tos.settings"))
    assert device.get_pid("com.tos.settings") == device.shell("pidof com.tos.settings").strip()


def test_uid_and_version(device):
    assert device.get_uid("com.tos.settings") == "1000"
    assert device.get_package_version_name("com.tos.settings") == "1.2.0"


def test_battery_and_cpus(device):
    assert device.get_battery_level() == 87
    assert device.cpu_count() >= 1


def test_meminfo_of_a_running_app(device):
    info = device.get_meminfo("com.tos.launcher")
    assert info.pss > 0


def test_forward_list(device):
    device.forward("tcp:6100", "tcp:9008")
    assert device.list_forward().get("tcp:6100") == "tcp:9008"
    device.killforward("tcp:6100")


@pytest.mark.clear_failure
def test_reverse_fails_as_on_a_device(device):
    # ppadb joins the two ends with ':' where adbd wants ';': a device says "bad forward"
    with pytest.raises(RuntimeError, match="bad forward"):
        device.reverse("tcp:6101", "tcp:7101")


def test_list_reverses(farm, device):
    serial = SERIALS["t-phone"]
    assert farm.adb(serial, "reverse", "tcp:6161", "tcp:7161").returncode == 0
    assert {"remote": "tcp:6161", "local": "tcp:7161"} in device.list_reverses()
    farm.adb(serial, "reverse", "--remove", "tcp:6161")
    assert {"remote": "tcp:6161", "local": "tcp:7161"} not in device.list_reverses()


def test_logcat_dump(device):
    device.shell("log -t PpadbTest hello")
    assert "PpadbTest: hello" in device.shell("logcat -d -s PpadbTest")
