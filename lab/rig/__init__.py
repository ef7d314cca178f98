"""What sits beside a device on a bench, the same code for a real part on a real bench and
a virtual one beside a virtual device. `rig.open(dut, kind)` opens any of them, each
behind a small protocol of its kind:

- "nfc_reader": a `Reader` (lab/rig/nfc.py, driven by nfcpy): the PN532 the inventory
  puts beside the device (a peripheral that `faces` it);
- "audio": an `Audio` (lab/rig/exchange.py): a virtual device's own audio port over adb,
  or the sound card the inventory names beside a real one;
- "camera": a `Scene` (lab/rig/camera.py): the picture in front of the device's camera.

Each is a context manager: `with rig.open(dut, "nfc_reader") as reader: ...`."""

from __future__ import annotations

from typing import Literal, overload

from lab.device.dut import Dut
from lab.errors import LabError
from lab.rig.audio import AudioRig
from lab.rig.camera import Scene
from lab.rig.exchange import Audio
from lab.rig.nfc import NfcReader

KINDS = ("nfc_reader", "audio", "camera")


@overload
def open(dut: Dut, kind: Literal["nfc_reader"]) -> NfcReader: ...
@overload
def open(dut: Dut, kind: Literal["audio"]) -> Audio: ...
@overload
def open(dut: Dut, kind: Literal["camera"]) -> Scene: ...
def open(dut: Dut, kind: str) -> NfcReader | Audio | Scene:
    """The `kind` part of the bench beside `dut`, opened; a LabError saying why not (no
    such part beside it, not running, not supported on this device)."""
    if kind == "nfc_reader":
        return NfcReader.beside(dut)
    if kind == "audio":
        return AudioRig.beside(dut)
    if kind == "camera":
        return Scene(dut)
    raise LabError(f"no bench part of kind {kind!r}", hint=f"the kinds: {', '.join(KINDS)}")
