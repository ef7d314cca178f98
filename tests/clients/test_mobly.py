"""Mobly (Google's device-test framework) on a virtual phone: the AndroidDevice controller,
its logcat service across pause/resume and a reboot, bug reports, and a real Mobly test
class run by Mobly's own runner."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from tests.virtual_farm import ADB, SERIALS, SIZES

pytestmark = pytest.mark.client("mobly")
SERIAL = SERIALS["t-spare"]  # its own device: this module reboots it


@pytest.fixture(scope="module")
def ad(farm, tmp_path_factory):
    from mobly.controllers import android_device
    from mobly.controllers.android_device_lib import adb

    # the lab's one adb binary: another version would kill the farm's adb server
    adb.ADB = ADB
    device = android_device.AndroidDevice(serial=SERIAL)
    device.log_path = str(tmp_path_factory.mktemp("mobly"))
    yield device
    device.services.stop_all()


def _logged(ad, text: str, timeout: float = 5.0) -> bool:
    path = ad.services.logcat.adb_logcat_file_path
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in Path(path).read_text(errors="replace"):
            return True
        time.sleep(0.1)
    return False


def test_build_info_is_the_devices(ad):
    info = ad.build_info
    assert info["build_fingerprint"] == ad.adb.getprop("ro.build.fingerprint")
    assert info["build_version_sdk"] == "33" and info["build_type"] == "user"
    assert info["build_version_codename"] == "REL" and info["product_name"]


def test_boot_completed(ad):
    assert ad.is_boot_completed()
    ad.wait_for_boot_completion(timeout=10)


def test_shell_output_and_failure(ad):
    from mobly.controllers.android_device_lib.adb import AdbError

    assert ad.adb.shell("echo $((6*7))").strip() == b"42"
    with pytest.raises(AdbError) as caught:
        ad.adb.shell("ls /nowhere")
    assert caught.value.ret_code == 1 and b"No such file" in caught.value.stderr


@pytest.mark.clear_failure
def test_an_unknown_command_fails_with_mkshs_message(ad):
    from mobly.controllers.android_device_lib.adb import AdbError

    with pytest.raises(AdbError) as caught:
        ad.adb.shell(["frobnicate"])
    assert caught.value.ret_code == 127
    assert caught.value.stderr == b"/system/bin/sh: frobnicate: inaccessible or not found\n"


def test_getprops_and_current_user(ad):
    props = ad.adb.getprops(["ro.product.model", "ro.build.version.sdk"])
    assert props == {"ro.product.model": "TOS Phone P10", "ro.build.version.sdk": "33"}
    assert ad.adb.current_user_id == 0


def test_has_shell_command(ad):
    assert ad.adb.has_shell_command("pm") and ad.adb.has_shell_command("toybox")
    assert not ad.adb.has_shell_command("no-such-tool")


def test_push_and_pull(ad, tmp_path):
    payload = os.urandom(200_000)
    (tmp_path / "up.bin").write_bytes(payload)
    ad.adb.push([str(tmp_path / "up.bin"), "/data/local/tmp/mobly.bin"])
    ad.adb.pull(["/data/local/tmp/mobly.bin", str(tmp_path / "down.bin")])
    assert (tmp_path / "down.bin").read_bytes() == payload


def test_logcat_service_keeps_lines_logged_while_paused(ad):
    ad.services.logcat.start()
    ad.adb.shell(["log", "-t", "MoblyTest", "before-pause"])
    assert _logged(ad, "before-pause")
    ad.services.pause_all()
    ad.adb.shell(["log", "-t", "MoblyTest", "while-paused"])
    time.sleep(1.2)  # resume asks for `logcat -T <time of pause>`, to the second
    ad.services.resume_all()
    ad.adb.shell(["log", "-t", "MoblyTest", "after-resume"])
    assert _logged(ad, "after-resume") and _logged(ad, "while-paused")


def test_take_bug_report(ad, tmp_path):
    path = ad.take_bug_report(destination=str(tmp_path))
    with zipfile.ZipFile(path) as archive:
        main = archive.read("main_entry.txt").decode()
        text = archive.read(main).decode()
    assert ad.build_info["build_fingerprint"] in text and "SYSTEM LOG" in text
    assert ad.adb.shell("ls /bugreports").strip() == b""  # Mobly removes it from the device


def test_take_screenshot(ad, tmp_path):
    path = ad.take_screenshot(str(tmp_path))
    assert Image.open(path).size == SIZES["t-phone"]


def test_install_an_apk(ad):
    import uiautomator2

    apk = Path(uiautomator2.__file__).parent / "assets" / "app-uiautomator.apk"
    ad.adb.install(["-r", "-g", str(apk)])
    assert b"package:com.github.uiautomator" in ad.adb.shell(["pm", "list", "packages"])


def test_reboot_keeps_the_logcat_service(ad):
    if not ad.services.logcat.is_alive:
        ad.services.logcat.start()
    ad.reboot()
    assert ad.is_boot_completed()
    ad.adb.shell(["log", "-t", "MoblyTest", "after-reboot"])
    assert _logged(ad, "after-reboot", timeout=10)


MOBLY_TEST = """
from mobly import asserts, base_test, test_runner
from mobly.controllers import android_device


class VirtualPhoneTest(base_test.BaseTestClass):
    def setup_class(self):
        self.ads = self.register_controller(android_device)
        self.dut = self.ads[0]

    def test_model(self):
        asserts.assert_equal(self.dut.adb.getprop("ro.product.model"), "TOS Phone P10")

    def test_settings_opens(self):
        self.dut.adb.shell(["am", "start", "-W", "-n", "com.tos.settings/.Settings"])
        top = self.dut.adb.shell(["dumpsys", "activity", "top"]).decode()
        asserts.assert_true("com.tos.settings/.Settings" in top, top)


if __name__ == "__main__":
    test_runner.main()
"""


def test_a_mobly_test_class_run_by_its_runner(farm, tmp_path):
    script = tmp_path / "virtual_phone_test.py"
    script.write_text(MOBLY_TEST)
    config = tmp_path / "config.yml"
    config.write_text(
        f"TestBeds:\n  - Name: virtual\n    Controllers:\n      AndroidDevice:\n"
        f"        - serial: '{SERIAL}'\nMoblyParams:\n  LogPath: {tmp_path / 'logs'}\n"
    )
    tools = tmp_path / "bin"  # Mobly calls `adb` from PATH: give it the lab's one
    tools.mkdir()
    (tools / "adb").symlink_to(ADB)
    env = {**os.environ, "PATH": f"{tools}:{os.environ['PATH']}"}
    done = subprocess.run(
        [sys.executable, str(script), "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    summary = next((tmp_path / "logs").rglob("test_summary.yaml")).read_text()
    assert summary.count("Result: PASS") == 2, summary
