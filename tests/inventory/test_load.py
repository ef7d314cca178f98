"""A valid inventory loads with its defaults; the shipped default farm is complete."""

from __future__ import annotations

from pathlib import Path

from lab.inventory import load_inventory
from tests.inventory.conftest import VALID

ROOT = Path(__file__).resolve().parents[2]


def test_valid_inventory_loads_with_defaults(write):
    inventory = load_inventory(write(VALID))
    watch, tv = inventory.devices
    assert (watch.id, watch.device_class, watch.virtual) == ("watch-1", "watch", True)
    assert watch.display.shape == "round"
    assert tv.virtual is False
    assert tv.display.shape == "rect"  # the default
    assert tv.adb_server(inventory.farm) == "10.1.2.3:5037"
    assert watch.adb_server(inventory.farm) == "127.0.0.1:5037"
    assert inventory.farm.report_dir == "reports"
    assert tv.location and tv.location.rack == "B1"
    assert tv.has("dpad") and not tv.has("touch")


def test_select_by_class_and_id(write):
    inventory = load_inventory(write(VALID))
    assert [d.id for d in inventory.select(device_class="tv")] == ["tv-1"]
    assert [d.id for d in inventory.select(ids=["watch-1"])] == ["watch-1"]
    assert inventory.select(device_class="headset") == []


def test_default_farm_has_every_class_virtual():
    inventory = load_inventory(ROOT / "device_inventory.yaml")
    classes = {d.device_class for d in inventory.devices}
    assert classes == {"watch", "tv", "headset", "phone"}
    assert all(d.virtual for d in inventory.devices)
    shapes = {d.device_class: d.display.shape for d in inventory.devices}
    assert shapes == {"watch": "round", "tv": "rect", "headset": "stereo", "phone": "rect"}
