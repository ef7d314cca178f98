"""The screen layer suites use: waiting for images and text, tapping what vision finds,
reading QR codes off a live device."""

from __future__ import annotations

import pytest

from lab.device.errors import DeviceError, NotOnScreen
from lab.device.hierarchy import bounds_of, views
from lab.vision import Template

SETTINGS = "am start -n com.tos.settings/.Settings"


def _bounds(dut, rid: str) -> tuple[int, int, int, int]:
    wanted = f"com.tos.settings:id/{rid}"
    return bounds_of(next(v for v in views(dut.hierarchy()) if v.get("resource-id") == wanted))


def _label_template(dut, rid: str) -> Template:
    """The label `rid` of the Settings screen, cut from a live screenshot."""
    dut.shell(SETTINGS, check=True)
    assert dut.ui.exists(timeout=5, resourceId=f"com.tos.settings:id/{rid}")
    image = dut.screenshot()
    return Template.crop(image, _bounds(dut, rid), dut.info.display.density, name=rid)


def test_wait_image_finds_it_and_wait_gone_sees_it_leave(vision_duts):
    phone = vision_duts["phone"]
    template = _label_template(phone, "about_label")
    left, top, right, bottom = _bounds(phone, "about_label")
    match = phone.screen.wait_image(template, timeout=5)
    assert left <= match.center[0] <= right and top <= match.center[1] <= bottom
    phone.shell("input keyevent HOME", check=True)
    phone.screen.wait_gone(template, timeout=5)
    with pytest.raises(NotOnScreen, match=r"wait for image 'about_label'.*within 1 s"):
        phone.screen.wait_image(template, timeout=1)


def test_wait_gone_times_out_while_the_image_stays(vision_duts):
    phone = vision_duts["phone"]
    template = _label_template(phone, "about_label")
    with pytest.raises(NotOnScreen, match=r"to go.*still on screen after 1 s"):
        phone.screen.wait_gone(template, timeout=1)
    phone.shell("input keyevent HOME")


def test_tap_image_opens_what_it_tapped(vision_duts):
    phone = vision_duts["phone"]
    template = _label_template(phone, "about_label")
    phone.ui.tap_image(template, timeout=5)
    assert phone.ui.exists(timeout=5, resourceId="com.tos.settings:id/qr")
    phone.shell("input keyevent HOME")


def test_tap_image_on_a_dpad_device_says_how_to_move_instead(vision_duts):
    tv = vision_duts["tv"]
    template = _label_template(tv, "about_label")
    with pytest.raises(DeviceError, match="no touch screen") as raised:
        tv.ui.tap_image(template, timeout=1)
    assert "press(" in str(raised.value.hint)
    tv.shell("input keyevent HOME")


def test_wait_text_and_what_a_timeout_reports(vision_duts):
    watch = vision_duts["watch"]
    watch.shell(SETTINGS, check=True)
    line = watch.screen.wait_text("Wi-Fi", timeout=10)
    assert "Wi-Fi" in line.text and line.score > 0.8
    with pytest.raises(NotOnScreen, match=r"text 'Bluetooth'.*it shows .*'Settings'"):
        watch.screen.wait_text("Bluetooth", timeout=1)
    watch.shell("input keyevent HOME")


def test_qr_codes_on_a_stereo_display_one_per_eye(vision_duts):
    headset = vision_duts["headset"]
    headset.shell("am start -n com.tos.settings/.About", check=True)
    assert headset.ui.exists(timeout=5, resourceId="com.tos.settings:id/qr")
    codes = headset.screen.qr_codes()
    fingerprint = headset.getprop("ro.build.fingerprint")
    assert [c.text for c in codes] == [fingerprint, fingerprint]
    eye = headset.info.display.width // 2
    assert codes[0].center[0] < eye <= codes[1].center[0]
    headset.shell("input keyevent HOME")
