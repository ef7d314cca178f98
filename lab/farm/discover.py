"""Devices the adb server sees that the inventory does not name, read as the lab would
describe them: the class from Android's own features (type.watch, television/leanback,
vr.high_performance; else a phone), the display from `wm size|density`, capabilities from
the features and packages. A guess to review before it is pasted: what cannot be told
over adb (a console, a rack) is left out, and says so."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import adbutils

from lab.device.adb_server import AdbServer
from lab.errors import LabError
from lab.inventory import Inventory
from lab.protocols.device_classes import CLASSES, class_of_features

FEATURE_CAPABILITIES = {  # Android feature -> the inventory's capability
    "android.hardware.touchscreen": "touch",
    "android.hardware.nfc": "nfc",
    "android.hardware.camera.any": "camera",
    "android.hardware.microphone": "microphone",
    "android.hardware.audio.output": "speaker",
    "android.hardware.wifi": "wifi",
    "android.hardware.bluetooth": "bluetooth",
    "android.hardware.gamepad": "gamepad",
    "android.hardware.vr.headtracking": "head_tracking",
    "android.hardware.sensor.heartrate": "heart_rate",
    "android.software.leanback": "dpad",
}
PACKAGE_CAPABILITIES = {  # a TOS+ system app -> what it gives the device
    "com.tos.wallet": ("payment", "qr_pay"),
    "com.tos.store": ("store",),
    "com.tos.assistant": ("voice",),
    "com.tos.arcade": ("game_host",),
}


@dataclass
class Found:
    serial: str
    device_class: str
    model: str
    platform: str
    width: int
    height: int
    density: int
    capabilities: list[str] = field(default_factory=list)

    def entry(self, device_id: str) -> str:
        """Its inventory entry (YAML), to review and paste."""
        shape = CLASSES[self.device_class].shape
        if shape == "round" and "round_display" not in self.capabilities:
            shape = "rect"  # a square watch
        return "\n".join([
            f"  - id: {device_id}",
            f"    class: {self.device_class}",
            f"    model: {self.model}",
            f"    platform: {self.platform}",
            f'    adb: {{serial: "{self.serial}"}}',
            f"    display: {{width: {self.width}, height: {self.height}, "
            f"density: {self.density}, shape: {shape}}}",
            f"    capabilities: [{', '.join(self.capabilities)}]",
            "    # a serial console cannot be found over adb: add `console: {url: /dev/ttyUSB0}`",
        ])  # fmt: skip


def describe(device: adbutils.AdbDevice) -> Found:
    """What the device says of itself, as an inventory entry would put it."""

    def sh(command: str) -> str:
        return str(device.shell(command, timeout=15))

    features = set(re.findall(r"feature:(\S+)", sh("pm list features")))
    packages = set(re.findall(r"package:(\S+)", sh("pm list packages")))
    device_class = class_of_features(features)
    size = re.search(r"(\d+)x(\d+)", sh("wm size"))
    width, height = (int(size.group(1)), int(size.group(2))) if size else (0, 0)
    dpi = re.search(r"(\d+)", sh("wm density"))
    density = int(dpi.group(1)) if dpi else 0
    capabilities = {cap for feature, cap in FEATURE_CAPABILITIES.items() if feature in features}
    for package, caps in PACKAGE_CAPABILITIES.items():
        if package in packages:
            capabilities.update(caps)
    if device_class == "headset":
        capabilities.add("stereo_display")
    if device_class == "watch" and width == height:
        capabilities.add("round_display")  # a square panel is rare on a watch: check it
    if re.search(r"present: true", sh("dumpsys battery")):
        capabilities.add("battery")
    model = sh("getprop ro.product.model").strip() or "unknown"
    release = sh("getprop ro.build.version.release").strip()
    display_id = sh("getprop ro.build.display.id").strip()  # TOS1.2.0 20261101
    tos = re.match(r"TOS(\d+\.\d+)", display_id)
    platform = f"TOS+ {tos.group(1)}" if tos else f"Android {release}".strip()
    return Found(device.serial, device_class, model, platform, width, height, density,
                 sorted(capabilities))  # fmt: skip


def unknown_devices(inventory: Inventory) -> list[Found]:
    """Each device attached to the inventory's adb server that it does not name."""
    server = AdbServer(inventory.farm.adb_server)
    server.ensure_running()
    named = {d.adb.serial for d in inventory.devices}
    found = []
    for serial, state in sorted(server.states().items()):
        if serial in named or state != "device":
            continue
        try:
            found.append(describe(server.client().device(serial)))
        except (adbutils.AdbError, adbutils.AdbTimeout, OSError) as exc:
            raise LabError(f"{serial}: could not read it over adb: {exc}") from None
    return found


def ids_for(found: list[Found], taken: set[str]) -> list[str]:
    """An unused id per device: its class and the next free number (`watch-2`)."""
    ids, used = [], set(taken)
    for device in found:
        n = 1
        while f"{device.device_class}-{n}" in used:
            n += 1
        used.add(f"{device.device_class}-{n}")
        ids.append(f"{device.device_class}-{n}")
    return ids


def with_entries(text: str, entries: list[str]) -> str:
    """The inventory's text with `entries` added at the end of its `devices:` list (before
    the next top-level key), its comments and layout kept."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("devices:")), None)
    if start is None:
        raise LabError("the inventory has no top-level `devices:` to add to")
    end = next((i for i in range(start + 1, len(lines))
                if lines[i] and not lines[i][0].isspace() and not lines[i].startswith(("-", "#"))),
               len(lines))  # fmt: skip
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1  # after the last entry, before blank lines and the next key's comment
    added = [line for entry in entries for line in ["", *entry.splitlines()]]
    return "\n".join(lines[:end] + added + lines[end:]) + "\n"
