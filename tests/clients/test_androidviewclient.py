"""AndroidViewClient (culebra's library): its own adb client, `uiautomator dump`, views by
text and id, touches, typing and framebuffer snapshots."""

from __future__ import annotations

import pytest

from tests.virtual_farm import ADB, SERIALS, SIZES

pytestmark = pytest.mark.client("androidviewclient")
SERIAL = SERIALS["t-phone"]


@pytest.fixture(scope="module")
def sdk(tmp_path_factory):
    """ViewClient looks for adb under $ANDROID_HOME: give it the lab's one binary."""
    home = tmp_path_factory.mktemp("android-sdk")
    (home / "platform-tools").mkdir()
    (home / "platform-tools" / "adb").symlink_to(ADB)
    return home


@pytest.fixture(scope="module")
def device(farm, sdk):
    from com.dtmilano.android.adb.adbclient import AdbClient

    client = AdbClient(serialno=SERIAL, hostname="127.0.0.1", port=5037)
    client.press("HOME")
    yield client
    client.close()


@pytest.fixture
def vc(device, sdk, monkeypatch):
    from com.dtmilano.android.viewclient import ViewClient

    monkeypatch.setenv("ANDROID_HOME", str(sdk))
    device.press("HOME")
    return ViewClient(device, SERIAL, autodump=False)


def test_properties_and_sdk(device):
    assert device.getProperty("ro.product.model") == "TOS Phone P10"
    assert device.getSdkVersion() == 33


def test_display_info(device):
    info = device.getDisplayInfo()
    assert (info["width"], info["height"]) == SIZES["t-phone"] and info["density"] == 2.75
    assert device.getPhysicalDisplayInfo()["density"] == 440.0


def test_dump_and_find_view_with_text(vc):
    vc.dump()
    view = vc.findViewWithText("Settings")
    assert view is not None and view.getClass() == "android.widget.TextView"
    assert vc.findViewById("com.tos.launcher:id/app_about") is not None


def test_touch_opens_settings(vc, device):
    vc.dump()
    vc.findViewWithTextOrRaise("Settings").touch()
    vc.dump()
    assert vc.findViewById("com.tos.settings:id/wifi") is not None
    assert device.getTopActivityName() == "com.tos.settings/.Settings"


def test_type_into_a_focused_field(vc, device):
    device.startActivity(component="com.tos.settings/.DeviceName")
    vc.dump()
    field = vc.findViewById("com.tos.settings:id/device_name")
    field.touch()
    device.shell("input keyevent MOVE_END")
    device.type("xy")
    vc.dump()
    assert vc.findViewById("com.tos.settings:id/device_name").getText().endswith("xy")
    assert device.isKeyboardShown()


def test_snapshot_through_the_framebuffer_service(device):
    image = device.takeSnapshot(reconnect=True)
    assert image.size == SIZES["t-phone"]
    assert image.convert("L").getextrema()[1] > 100  # not a blank frame


def test_screen_and_lock_state(device):
    assert device.isScreenOn() is True
    assert device.isLocked() is False


def test_focused_window_and_top_activity(device):
    device.press("HOME")
    # AVC looks for mCurrentFocus in `dumpsys window windows`, which has not shown it since
    # Android 10 (it is the display's now): on an Android 13 device it finds no focus
    assert device.getFocusedWindowName() is None
    assert device.getTopActivityName() == "com.tos.launcher/.Home"


def test_drag_scrolls_a_list(vc, device):
    device.startActivity(component="com.tos.settings/.Settings")
    device.drag((540, 1800), (540, 600), 200)
    vc.dump()
    assert vc.findViewById("com.tos.settings:id/wifi") is not None


@pytest.mark.clear_failure
def test_restricted_screen_is_gone_as_on_android_13(device):
    # mRestrictedScreen left `dumpsys window` in Android 9; AVC says it cannot find it
    with pytest.raises(RuntimeError, match="mRestrictedScreen"):
        device.getRestrictedScreen()
