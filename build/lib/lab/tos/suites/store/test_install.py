"""Free apps: found in the store, installed, launched and uninstalled; updated to a new
version; an update signed by another key refused; a reboot mid-download leaves the app
whole or absent, never half-installed."""

from __future__ import annotations

import hashlib
import time

import allure
import pytest

from lab.cloud.http import ApiRefused
from lab.device.errors import DeviceError
from lab.tos.screens import store as screens

pytestmark = pytest.mark.requires("store")


@allure.title("a free app: found, installed, launched, uninstalled")
def test_free_app_install_launch_uninstall(dut, member, shelf, attach):
    package, title = shelf.publish("Notes")
    screens.search(dut, shelf.tag)
    assert screens.listed(dut, title)
    screens.details(dut, package)
    screens.press(dut, "install")
    screens.wait_installed(dut, package)
    screens.snap(dut, attach, "installed")
    with allure.step("the app starts from the store's Open"):
        screens.press(dut, "open")
        deadline = time.monotonic() + 10
        while dut.ui.current_app().get("package") != package and time.monotonic() < deadline:
            time.sleep(0.2)
        assert dut.ui.current_app().get("package") == package
    screens.details(dut, package)
    screens.press(dut, "uninstall")
    assert dut.ui.exists(timeout=10, resourceId=screens.rid("install"))
    assert package not in dut.adb.packages()


@allure.title("an update to a new version")
def test_update_to_a_new_version(dut, member, shelf):
    package, title = shelf.publish("Weather")
    screens.details(dut, package)
    screens.press(dut, "install")
    screens.wait_installed(dut, package)
    with allure.step("the developer uploads version 2"):
        shelf.studio.upload(package, shelf.apk(package, 2, version_name="2.0", label=title))
    screens.details(dut, package)
    assert dut.ui.exists(timeout=10, text="Update available")
    screens.press(dut, "update")
    dump = screens.wait_version(dut, package, 2)
    assert "versionName=2.0" in dump
    assert dut.ui.exists(timeout=10, resourceId=screens.rid("open"))
    assert not dut.ui.exists(text="Update available")


@allure.title("an update signed by another key is refused, by the store and by the device")
def test_an_update_signed_by_another_key_is_refused(dut, member, shelf):
    package, title = shelf.publish("Radio")
    screens.details(dut, package)
    screens.press(dut, "install")
    screens.wait_installed(dut, package)
    rival = shelf.apk(package, 2, key="rival", label=title)
    with allure.step("the store refuses the upload"), pytest.raises(ApiRefused) as refused:
        shelf.studio.upload(package, rival)
    assert refused.value.code == "apk_signer_mismatch"
    with allure.step("the device refuses the install"), pytest.raises(DeviceError) as failed:
        dut.adb.install(rival)
    assert "INSTALL_FAILED_UPDATE_INCOMPATIBLE" in str(failed.value)
    assert "versionCode=1" in dut.shell(["dumpsys", "package", package], check=True).stdout


@allure.title("a reboot mid-download: the app ends whole or absent")
def test_a_reboot_mid_download(dut, member, shelf, store, attach):
    package, _ = shelf.publish("Atlas", payload_bytes=3 << 20)
    store.throttle_downloads(300_000, member.id)  # a slow network: about 10 s for 3 MB
    try:
        screens.details(dut, package)
        screens.press(dut, "install")
        deadline = time.monotonic() + 30
        while (screens.percent(dut) or 0) < 10 and time.monotonic() < deadline:
            time.sleep(0.2)
        at = screens.percent(dut)
        screens.snap(dut, attach, f"downloading {at}%")
        assert at is not None and at < 100, "the reboot comes mid-download"
        with allure.step(f"reboot at {at}%"):
            dut.reboot()
    finally:
        store.throttle_downloads(0, member.id)
    with allure.step("after the boot: installed whole (resumed), or absent (failed cleanly)"):
        deadline = time.monotonic() + 60
        while package not in dut.adb.packages() and time.monotonic() < deadline:
            time.sleep(0.5)
            screens.details(dut, package)
            if screens.status(dut).startswith("Failed"):
                break
        if package in dut.adb.packages():
            path = dut.shell(["pm", "path", package], check=True).stdout.strip()
            pulled = dut.adb.read_file(path.removeprefix("package:"))
            [app] = [a for a in shelf.studio.apps() if a["package"] == package]
            assert hashlib.sha256(pulled).hexdigest() == app["versions"][0]["sha256"]
        else:
            assert screens.status(dut).startswith("Failed")
