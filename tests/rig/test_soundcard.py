"""A real device's audio rig is the sound card the inventory names for it: a name this
host does not have is refused before anything plays, naming the device, the card and
what the host has; a real device without one gets a clear "no audio rig"."""

from __future__ import annotations

import pytest

from lab import rig
from lab.device.dut import Dut
from lab.device.factory import open_dut
from lab.inventory.schema import Inventory
from lab.rig.audio import AudioUnsupported

INVENTORY = {
    "farm": {},
    "devices": [
        {"id": "w-real", "class": "watch", "model": "W1", "platform": "TOS+ 1.2",
         "adb": {"serial": "R58M1234"}, "display": {"width": 454, "height": 454, "density": 320},
         "audio": {"output": "bench-speaker", "input": "bench-mic"}},
        {"id": "w-bare", "class": "watch", "model": "W1", "platform": "TOS+ 1.2",
         "adb": {"serial": "R58M5678"}, "display": {"width": 454, "height": 454, "density": 320}},
    ],
}  # fmt: skip


def dut(device_id: str, tmp_path) -> Dut:
    inventory = Inventory.model_validate(INVENTORY)
    return open_dut(inventory, device_id, log_dir=tmp_path)


def test_an_unknown_sound_card_is_refused_by_name(tmp_path):
    with pytest.raises(AudioUnsupported) as refused:
        rig.open(dut("w-real", tmp_path), "audio")
    said = str(refused.value) + str(refused.value.hint)
    assert "w-real" in said and "bench-speaker" in said and "inventory" in said


def test_a_real_device_without_a_sound_card_has_no_rig(tmp_path):
    with pytest.raises(AudioUnsupported, match="w-bare: no audio rig"):
        rig.open(dut("w-bare", tmp_path), "audio")


def test_the_inventory_checks_the_audio_entry():
    broken = {**INVENTORY, "devices": [{**INVENTORY["devices"][0], "audio": {"output": ""}}]}
    with pytest.raises(ValueError, match="audio"):
        Inventory.model_validate(broken)
