"""Real screenshots of every virtual device class, with their UI hierarchies."""

from __future__ import annotations

import pytest

from lab.device.factory import open_dut
from lab.inventory import load_inventory
from tests.vision.cases import Shot, take_shots

DEVICES = {"watch": "t-watch", "tv": "t-tv", "headset": "t-headset", "phone": "t-phone"}


@pytest.fixture(scope="session")
def vision_duts(farm, tmp_path_factory):
    inventory = load_inventory(farm.inventory)
    logs = tmp_path_factory.mktemp("vision-logs")
    return {cls: open_dut(inventory, i, log_dir=logs) for cls, i in DEVICES.items()}


@pytest.fixture(scope="session")
def shots(vision_duts) -> list[Shot]:
    return take_shots(vision_duts)
