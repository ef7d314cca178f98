"""Real screenshots of every virtual device class, with their UI hierarchies."""

from __future__ import annotations

import pytest

from lab.device.dut import Dut
from lab.inventory import load_inventory
from tests.vision.cases import Shot, elements, texts

SCREENS = {
    "home": "input keyevent HOME",
    "settings": "am start -n com.tos.settings/.Settings",
    "about": "am start -n com.tos.settings/.About",
    "language": "am start -n com.tos.settings/.Language",
}
DEVICES = {"watch": "t-watch", "tv": "t-tv", "headset": "t-headset", "phone": "t-phone"}


@pytest.fixture(scope="session")
def vision_duts(farm, tmp_path_factory):
    inventory = load_inventory(farm.inventory)
    logs = tmp_path_factory.mktemp("vision-logs")
    return {cls: Dut(inventory.device(i), inventory.farm, logs) for cls, i in DEVICES.items()}


@pytest.fixture(scope="session")
def shots(vision_duts) -> list[Shot]:
    taken = []
    for cls, dut in vision_duts.items():
        for name, command in SCREENS.items():
            dut.shell(command, check=True)
            image, hierarchy = dut.screenshot(), dut.hierarchy()
            eye = dut.info.display.width // 2 if dut.info.display.shape == "stereo" else None
            taken.append(
                Shot(
                    f"{cls}/{name}",
                    image,
                    dut.info.display.density,
                    eye,
                    elements(hierarchy, image),
                    texts(hierarchy),
                )
            )
        dut.shell("input keyevent HOME")
    return taken
