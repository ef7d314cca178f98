"""The real uiautomator2 client: it pushes u2.jar, launches the agent and drives the UI."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import uiautomator2 as u2
from PIL import Image

from tests.farm import SERIALS, SIZES


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
    assert switch.info["checked"] is (not before)
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
