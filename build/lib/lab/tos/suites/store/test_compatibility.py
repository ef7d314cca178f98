"""An app that needs a feature the device lacks is hidden from its catalogue, shown as
not compatible on its page, and refused by the device's package manager."""

from __future__ import annotations

import allure
import pytest

from lab.appstore.device import features
from lab.device.errors import DeviceError
from lab.tos.screens import store as screens

pytestmark = pytest.mark.requires("store")
CANDIDATES = (
    "android.hardware.touchscreen",
    "android.software.leanback",
    "android.hardware.type.watch",
)


@allure.title("an app for other devices: hidden, marked, refused")
def test_an_incompatible_app_is_hidden_and_refused(dut, member, shelf):
    lacking = next(f for f in CANDIDATES if f not in features(dut))
    package, title = shelf.publish("Elsewhere", features=(lacking,))
    screens.search(dut, shelf.tag)
    assert dut.ui.exists(timeout=10, resourceId=screens.rid("status_value"), text="No apps found")
    assert not screens.listed(dut, title, timeout=0)
    screens.details(dut, package)
    assert dut.ui.exists(timeout=10, text="Not compatible with this device")
    assert lacking in dut.ui.text(resourceId=screens.rid("compatibility_value"))
    assert not dut.ui.exists(resourceId=screens.rid("install"))
    with allure.step("the package manager refuses it too"), pytest.raises(DeviceError) as failed:
        dut.adb.install(shelf.apk(package, 1, label=title, features=(lacking,)))
    assert "INSTALL_FAILED_MISSING_FEATURE" in str(failed.value)
    assert package not in dut.adb.packages()
