"""Allure labels for a device test: epic = device class, feature = scenario area,
parentSuite = device id, tags = model and platform."""

from __future__ import annotations

from pathlib import Path

import allure
import pytest

from lab.inventory import Device


def scenario_area(item: pytest.Item) -> str:
    """`smoke` for suites/smoke/test_x.py; the module name for a test elsewhere."""
    path = Path(str(item.path))
    parts = path.parts
    if "suites" in parts:
        index = parts.index("suites")
        if index + 2 < len(parts):
            return parts[index + 1]
    return path.stem.removeprefix("test_")


def label_test(item: pytest.Item, devices: list[Device]) -> None:
    """The Allure labels, and the devices in the run's record (several: `a+b`)."""
    item.user_properties.append(("device", "+".join(d.id for d in devices)))
    first = devices[0]
    allure.dynamic.epic(first.device_class)
    allure.dynamic.feature(scenario_area(item))
    allure.dynamic.parent_suite("+".join(d.id for d in devices))
    allure.dynamic.suite(scenario_area(item))
    for device in devices:
        allure.dynamic.tag(device.model)
        allure.dynamic.tag(device.platform)
        allure.dynamic.label("device", device.id)
