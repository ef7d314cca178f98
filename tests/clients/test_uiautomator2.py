"""The real uiautomator2 client: it pushes u2.jar, launches the agent and drives the UI."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import uiautomator2 as u2
from PIL import Image

from tests.virtual_farm import SERIALS, SIZES

pytestmark = pytest.mark.client("uiautomator2")


@pytest.fixture(scope="module")
def phone(farm):
    device = u2.connect(SERIALS["t-phone"])
    device.press("home")
    return device


def test_info_reports_the_display(phone):
    info = phone.info
    assert (info["displayWidth"], info["displayHeight"]) == SIZES["t-phone"]
    assert info["currentPackageName"] == "com.tos.launcher"
    assert info["sdkInt"] >= 30 and info["screenOn"] is True


def test_dump_hierarchy_is_xml_with_the_launcher_items(phone):
    root = ET.fromstring(phone.dump_hierarchy().encode())
    texts = {node.get("text") for node in root.iter("node")}
    assert {"Settings", "About"} <= texts
    ids = {node.get("resource-id") for node in root.iter("node")}
    assert "com.tos.launcher:id/app_settings" in ids


def test_click_by_text_changes_the_app_and_home_returns(phone):
    phone(text="Settings").click()
    assert phone.app_current()["package"] == "com.tos.settings"
    assert phone(text="Wi-Fi").exists
    phone.press("home")
    assert phone.app_current()["package"] == "com.tos.launcher"


def test_switch_state_follows_a_click(phone):
    phone(text="Settings").click()
    switch = phone(resourceId="com.tos.settings:id/wifi_switch")
    before = switch.info["checked"]
    phone(text="Wi-Fi").click()
    try:
        assert switch.info["checked"] is (not before)
    finally:  # Wi-Fi back as it was: later tests on this phone (store, game pad) need it
        phone(text="Wi-Fi").click()
        assert switch.info["checked"] is before
        phone.press("back")


def test_selectors_count_wait_and_not_found(phone):
    phone.press("home")
    assert phone(className="android.widget.LinearLayout", clickable=True).count >= 2
    assert phone(textContains="Sett").exists
    assert not phone(text="No such thing").wait(timeout=0.3)
    with pytest.raises(u2.UiObjectNotFoundError):
        phone(text="No such thing").get_text(timeout=0.2)


def test_screenshot_shows_the_current_screen(farm, phone):
    phone.press("home")
    home = np.asarray(phone.screenshot().convert("RGB"), dtype=np.int16)
    phone(text="Settings").click()
    settings = np.asarray(phone.screenshot().convert("RGB"), dtype=np.int16)
    png = farm.adb(SERIALS["t-phone"], "exec-out", "screencap", "-p", binary=True).stdout
    truth = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    assert np.abs(settings - truth).mean() < 3  # the JPEG of the agent is the same screen
    assert np.abs(home - truth).mean() > 3  # ...and not the previous one
    phone.press("home")


def test_tv_dpad_moves_the_focus_and_enter_opens(farm):
    tv = u2.connect(SERIALS["t-tv"])
    tv.press("home")
    focused = tv(focused=True)
    assert focused.info["resourceName"] == "com.tos.launcher:id/app_settings"
    tv.press("right")
    assert tv(focused=True).info["resourceName"] == "com.tos.launcher:id/app_about"
    tv.press("left")
    tv.press("enter")
    assert tv.app_current()["package"] == "com.tos.settings"
    tv.press("down")
    assert tv(focused=True).info["resourceName"] == "com.tos.settings:id/brightness"
    tv.press("back")
    assert tv.app_current()["package"] == "com.tos.launcher"


def test_tv_delivers_injected_taps_and_keeps_dpad_focus(farm):
    # A TV has no touch screen, but Android delivers injected touches (input tap, the
    # uiautomator2 agent) on every device; its own input stays the D-pad.
    tv = u2.connect(SERIALS["t-tv"])
    tv.press("home")
    tv(text="About").click()
    assert tv(resourceId="com.tos.settings:id/qr").wait(timeout=5)
    assert tv.app_current()["package"] == "com.tos.settings"
    tv.press("home")
    tv.press("right")
    assert tv(focused=True).info["resourceName"].startswith("com.tos.launcher:id/app_")


def test_agent_survives_the_client_reconnecting(farm):
    first = u2.connect(SERIALS["t-watch"])
    first.press("home")
    second = u2.connect(SERIALS["t-watch"])
    assert second.info["currentPackageName"] == "com.tos.launcher"


def test_description_and_instance_selectors(phone):
    phone.press("home")
    tiles = phone(className="android.widget.LinearLayout", clickable=True)
    second = phone(className="android.widget.LinearLayout", clickable=True, instance=1)
    assert second.info["resourceName"] == tiles.info_list()[1]["resourceName"]
    assert phone(description="About").info["resourceName"] == "com.tos.launcher:id/app_about"
    assert phone(resourceId="com.tos.launcher:id/app_about").child(text="About").exists


# -- the calls uiautomator2's README shows, one operation each


def test_app_start_current_wait_and_stop(phone):
    phone.app_start("com.tos.settings")
    pid = phone.app_wait("com.tos.settings", timeout=5)
    assert pid > 0
    # Android 10+ keeps the focus out of `dumpsys window windows`, so adbutils takes the
    # app from `dumpsys activity`: the activity's short name, and its process's pid
    current = phone.app_current()
    assert current == {"package": "com.tos.settings", "activity": ".Settings", "pid": pid}
    phone.app_stop("com.tos.settings")
    assert phone.app_current()["package"] == "com.tos.launcher"


def test_app_current_after_a_click_has_the_apps_pid(phone):
    phone.press("home")
    phone(text="Settings").click()
    current = phone.app_current()
    pid = int(phone.shell("pidof com.tos.settings").output)
    assert (current["package"], current["pid"]) == ("com.tos.settings", pid)
    phone.press("home")
    home = phone.app_current()
    launcher = int(phone.shell("pidof com.tos.launcher").output)
    assert (home["package"], home["pid"]) == ("com.tos.launcher", launcher)


def test_wait_activity_by_its_short_name(phone):
    # as the README spells it (`d.wait_activity(".ApiDemos")`; app_current's "activity"
    # is `.Client` there): the short name a device's `dumpsys activity top` shows
    phone.app_start("com.tos.settings", ".About")
    assert phone.wait_activity(".About", timeout=5)
    phone.press("home")
    assert phone.wait_activity(".Home", timeout=5)


def test_running_apps_are_processes(phone):
    phone.app_start("com.tos.settings")
    running = set(phone.app_list_running())
    assert {"com.tos.settings", "com.tos.launcher"} <= running
    pid = int(phone.shell("pidof com.tos.settings").output)
    ps = phone.shell("ps -A").output
    assert any(
        line.split()[1] == str(pid) and line.endswith("com.tos.settings")
        for line in ps.splitlines()
    )
    phone.app_stop("com.tos.settings")
    assert "com.tos.settings" not in phone.app_list_running()
    assert phone.shell("pidof com.tos.settings").exit_code == 1


def test_app_info_and_list(phone):
    assert phone.app_info("com.tos.settings") == {"versionName": "1.2.0", "versionCode": 120}
    assert "com.tos.settings" in phone.app_list()


def test_shell_returns_output_and_exit_code(phone):
    assert phone.shell("echo hi").output == "hi\n"
    assert phone.shell(["sh", "-c", "exit 3"]).exit_code == 3


def test_push_then_read(phone):
    phone.push(io.BytesIO(b"pushed"), "/data/local/tmp/u2.txt")
    assert phone.shell("cat /data/local/tmp/u2.txt").output == "pushed"


def test_xpath_click(phone):
    phone.press("home")
    phone.xpath('//*[@text="Settings"]').click()
    assert phone(resourceId="com.tos.settings:id/wifi").wait(timeout=5)
    phone.press("home")


def test_selector_text_and_bounds(phone):
    phone.app_start("com.tos.settings", ".Settings")
    wifi = phone(text="Wi-Fi")
    assert wifi.get_text() == "Wi-Fi"
    left, top, right, bottom = wifi.bounds()
    assert 0 <= left < right <= SIZES["t-phone"][0] and 0 <= top < bottom
    assert wifi.info["className"] == "android.widget.TextView"
    phone.press("home")


def test_wait_gone_after_leaving(phone):
    phone.app_start("com.tos.settings", ".Settings")
    phone.press("home")
    assert phone(resourceId="com.tos.settings:id/wifi").wait_gone(timeout=5)


def test_set_text_clear_text_and_send_keys(phone):
    phone.app_start("com.tos.settings", ".DeviceName")
    field = phone(className="android.widget.EditText")
    field.set_text("kitchen")
    assert field.get_text() == "kitchen"
    field.click()
    phone.send_keys(" tv")
    assert field.get_text() == "kitchen tv"
    phone.clear_text()
    assert field.get_text() == ""
    phone.send_keys("客厅", clear=True)
    assert field.get_text() == "客厅"
    phone.press("home")


def test_clipboard(phone):
    phone.clipboard = "copied text"
    assert phone.clipboard == "copied text"


def test_toast_is_seen(phone):
    phone.toast.reset()
    phone.toast.show("Hello toast", 2)
    assert phone.toast.get_message(5, default=None) == "Hello toast"


def test_orientation_turns_the_phone(phone):
    phone.set_orientation("l")
    try:
        assert phone.orientation == "left"
        assert phone.window_size() == (SIZES["t-phone"][1], SIZES["t-phone"][0])
        assert phone.screenshot().size == (SIZES["t-phone"][1], SIZES["t-phone"][0])
    finally:
        phone.set_orientation("n")
    assert phone.orientation == "natural"


@pytest.mark.clear_failure
def test_orientation_of_a_watch_is_fixed(farm):
    watch = u2.connect(SERIALS["t-watch"])
    with pytest.raises(u2.exceptions.BaseException, match="orientation is fixed"):
        watch.set_orientation("l")
    assert watch.orientation == "natural"


def test_screen_off_and_on(phone):
    phone.screen_off()
    assert phone.info["screenOn"] is False
    phone.screen_on()
    assert phone.info["screenOn"] is True


def test_swipe_ext_scrolls_a_list(farm):
    watch = u2.connect(SERIALS["t-watch"])
    watch.app_start("com.tos.settings", ".About")  # longer than the round face
    assert not watch(resourceId="com.tos.settings:id/serial").exists
    for _ in range(4):
        watch.swipe_ext("up", 0.8)
    assert watch(resourceId="com.tos.settings:id/serial").exists
    watch.press("home")


def test_scroll_to(farm):
    watch = u2.connect(SERIALS["t-watch"])
    watch.app_start("com.tos.settings", ".About")
    assert watch(scrollable=True).scroll.to(resourceId="com.tos.settings:id/serial")
    assert watch(resourceId="com.tos.settings:id/serial").exists
    watch(scrollable=True).scroll.toBeginning()
    assert watch(resourceId="com.tos.settings:id/qr").exists
    assert not watch(scrollable=True).scroll.backward()  # at the top: nothing to scroll
    watch.press("home")


def test_long_click_double_click_and_drag(phone):
    phone.press("home")
    phone.long_click(300, 400)
    phone.double_click(300, 400)
    assert phone.app_current()["package"] == "com.tos.settings"
    assert phone.drag(500, 1500, 500, 600) is True
    phone.press("home")


def test_watcher_clicks_what_appears(phone):
    phone.press("home")
    phone.watcher("settings").when("Wi-Fi").press("back")
    phone.app_start("com.tos.settings", ".Settings")
    phone.watcher.run()
    assert phone.app_current()["package"] == "com.tos.launcher"
    phone.watcher.remove("settings")


def test_keyboard_hides(phone):
    phone.hide_keyboard()  # installs and chooses uiautomator2's AdbKeyboard, as on a device
    assert phone.current_ime() == "com.github.uiautomator/.AdbKeyboard"
    assert "mInputShown=false" in phone.shell("dumpsys input_method").output


@pytest.mark.clear_failure
def test_pinch_is_not_supported(phone):
    with pytest.raises(u2.exceptions.BaseException, match="multi-touch"):
        phone(scrollable=True).pinch_in()


@pytest.mark.clear_failure
def test_notification_shade_is_not_supported(phone):
    with pytest.raises(u2.exceptions.BaseException, match="notification shade"):
        phone.open_notification()
