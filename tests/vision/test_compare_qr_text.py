"""compare catches one changed glyph and ignores a masked clock; QR and text read back
what the device shows."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from lab.vision import VisionError, compare, read_qr, read_text


def _shot(shots, name):
    return next(s for s in shots if s.name == name)


def _bounds(shot, text):
    return next(b for t, b in shot.elements if t == text)


def test_identical_screens_pass(shots):
    image = _shot(shots, "watch/settings").image
    result = compare(image, image.copy())
    assert result.passed and result.score == pytest.approx(1.0)


def test_one_changed_glyph_on_a_watch_screen_is_caught(shots):
    golden = _shot(shots, "watch/settings")
    actual = golden.image.copy()
    left, top, _right, bottom = _bounds(golden, "Brightness")
    glyph = actual[top + 8 : bottom - 8, left + 10 : left + 24]  # the "B"
    cv2.rectangle(glyph, (2, 2), (8, glyph.shape[0] - 3), (40, 40, 40), -1)  # rub half of it out
    result = compare(actual, golden.image)
    assert result.score > 0.98  # whole-screen SSIM alone would let it through
    assert not result.passed and len(result.regions) == 1
    x0, y0, x1, y1 = result.regions[0]
    assert left <= x0 and x1 <= left + 40 and top <= y0 and y1 <= bottom
    assert result.diff is not None and result.diff.shape == actual.shape


def test_a_masked_clock_is_ignored(shots):
    golden = _shot(shots, "watch/home").image
    actual = golden.copy()
    cv2.putText(actual, "23:59", (180, 50), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (255, 255, 255), 2)
    assert not compare(actual, golden).passed
    mask = np.zeros(golden.shape[:2], np.uint8)
    mask[20:70, 150:310] = 255
    assert compare(actual, golden, mask=mask).passed


def test_size_mismatch_is_a_clear_error(shots):
    with pytest.raises(VisionError, match="size mismatch: the screen is 454x454, the golden"):
        compare(_shot(shots, "watch/home").image, _shot(shots, "tv/home").image)


@pytest.mark.parametrize("cls", ["watch", "tv", "headset", "phone"])
def test_about_qr_is_the_build_fingerprint_on_every_class(shots, vision_duts, cls):
    codes = read_qr(_shot(shots, f"{cls}/about").image)
    fingerprint = vision_duts[cls].getprop("ro.build.fingerprint")
    assert codes and {qr.text for qr in codes} == {fingerprint}
    assert len(codes) == (2 if cls == "headset" else 1)  # the headset shows it per eye


def test_settings_read_exactly_in_english_and_chinese(vision_duts):
    tv = vision_duts["tv"]
    expected = {
        "en": ["Settings", "Wi-Fi", "Brightness", "50%", "Language", "English", "About device"],
        "zh": ["设置", "无线网络", "亮度", "50%", "语言", "简体中文", "关于设备"],
    }
    try:
        for language in ("en", "zh"):
            tv.shell("am start -n com.tos.settings/.Language", check=True)
            tv.ui.tap(resourceId=f"com.tos.settings:id/lang_{language}") if tv.info.has(
                "touch"
            ) else _choose_language(tv, language)
            tv.shell("am start -n com.tos.settings/.Settings", check=True)
            lines = [line.text for line in read_text(tv.screenshot())[1:]]  # [0] is the clock
            assert lines == expected[language]
    finally:
        tv.shell("am start -n com.tos.settings/.Language")
        _choose_language(tv, "en")


def _choose_language(dut, language: str) -> None:
    target = f"com.tos.settings:id/lang_{language}"
    for _ in range(3):
        if dut.ui.focused() == target:
            break
        dut.ui.press("down" if language == "zh" else "up")
    dut.ui.press("enter")


def test_known_region_is_read_without_detection(shots):
    shot = _shot(shots, "phone/settings")
    (line,) = read_text(shot.image, region=_bounds(shot, "Brightness"))
    assert line.text == "Brightness" and line.score > 0.9


def test_a_whole_screen_read_after_a_region_read_still_detects(shots):
    shot = _shot(shots, "phone/settings")
    read_text(shot.image, region=_bounds(shot, "Brightness"))
    texts = [line.text for line in read_text(shot.image)]
    assert "Brightness" in texts and "Wi-Fi" in texts
