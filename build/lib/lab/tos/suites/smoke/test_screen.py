"""A screenshot has the display's size and shows something."""

from __future__ import annotations

import allure
import numpy as np
import pytest

pytestmark = pytest.mark.requirement("3.2/C-0-1")


@allure.title("screenshot is the display's size and not blank")
def test_screenshot(dut, attach):
    dut.ui.press("home")
    image = dut.screenshot()
    attach.png("home screen", image)
    height, width = image.shape[:2]
    assert (width, height) == (dut.info.display.width, dut.info.display.height)
    assert float(np.std(image)) > 5, "the screen is blank (one flat colour)"
    if dut.info.display.shape == "round":
        corners = [image[0, 0], image[0, -1], image[-1, 0], image[-1, -1]]
        assert all(int(c.max()) == 0 for c in corners), "a round display is black outside"
    if dut.info.display.shape == "stereo":
        left, right = np.hsplit(image, 2)
        assert float(np.abs(left.astype(int) - right.astype(int)).mean()) < 1, "eyes differ"
