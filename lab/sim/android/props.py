"""System properties, derived from the device's inventory entry."""

from __future__ import annotations

import re
import threading

from lab.protocols.device_classes import CLASSES
from lab.sim.spec import DeviceSpec

SDK = 33
RELEASE = "13"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def default_props(spec: DeviceSpec) -> dict[str, str]:
    product = _slug(spec.model)
    version = spec.platform.split()[-1]
    build_id = f"TOS{version}.0"
    incremental = "20261101"
    fingerprint = (
        f"tos/{product}/{spec.device_class}:{RELEASE}/{build_id}/{incremental}:user/release-keys"
    )
    return {
        "ro.product.brand": "tos",
        "ro.product.manufacturer": "TOS Devices",
        "ro.product.model": spec.model,
        "ro.product.name": product,
        "ro.product.device": spec.device_class,
        "ro.product.cpu.abi": "x86_64",
        "ro.build.id": build_id,
        "ro.build.display.id": f"{build_id} {incremental}",
        "ro.build.version.release": RELEASE,
        "ro.build.version.release_or_codename": RELEASE,
        "ro.build.version.codename": "REL",
        "ro.build.version.security_patch": "2026-11-01",
        "ro.build.product": spec.device_class,
        "ro.build.date": "Sun Nov  1 00:00:00 UTC 2026",
        "ro.build.date.utc": "1793491200",
        "ro.build.user": "tos-build",
        "ro.build.host": "tos-builder",
        "ro.hardware": "tos",
        "ro.boot.hardware": "tos",
        "ro.product.board": spec.device_class,
        "ro.product.first_api_level": str(SDK),
        "ro.boot.verifiedbootstate": "green",
        "ro.build.version.sdk": str(SDK),
        "ro.build.version.incremental": incremental,
        "ro.build.type": "user",
        "ro.build.tags": "release-keys",
        "ro.build.fingerprint": fingerprint,
        "ro.build.characteristics": CLASSES[spec.device_class].characteristics,
        "ro.serialno": spec.serialno,
        "ro.boot.serialno": spec.serialno,
        "ro.sf.lcd_density": str(spec.density),
        "ro.adb.secure": "1" if spec.auth_required else "0",
        "ro.debuggable": "0",
        "ro.kernel.qemu": "0",
        "persist.sys.locale": "en-US",
        "sys.boot_completed": "0",
        "dev.bootcomplete": "0",
        "init.svc.adbd": "running",
        "init.svc.bootanim": "running",  # "stopped" once booted, as scripts wait for
        "tos.platform": spec.platform,
        "tos.platform.version": version,
        "tos.device.class": spec.device_class,
        "tos.device.id": spec.id,
        "tos.virtual": "1",
    }


class Props:
    def __init__(self, values: dict[str, str]) -> None:
        self._values = dict(values)
        self._lock = threading.Lock()

    def get(self, name: str, default: str = "") -> str:
        with self._lock:
            return self._values.get(name, default)

    def set(self, name: str, value: str) -> None:
        with self._lock:
            self._values[name] = value

    def items(self) -> list[tuple[str, str]]:
        with self._lock:
            return sorted(self._values.items())
