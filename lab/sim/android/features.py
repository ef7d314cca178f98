"""The system features a device declares (`pm list features`), from its class and
capabilities, named as Android's PackageManager.FEATURE_* constants. An app that requires
one the device lacks is refused at install (INSTALL_FAILED_MISSING_FEATURE)."""

from __future__ import annotations

from lab.protocols.device_classes import CLASSES
from lab.sim.spec import DeviceSpec

BY_CLASS = {name: c.features for name, c in CLASSES.items()}
BY_CAPABILITY = {
    "touch": ("android.hardware.touchscreen", "android.hardware.touchscreen.multitouch"),
    "nfc": ("android.hardware.nfc", "android.hardware.nfc.hce"),
    "camera": ("android.hardware.camera", "android.hardware.camera.any"),
    "microphone": ("android.hardware.microphone",),
    "speaker": ("android.hardware.audio.output",),
    "wifi": ("android.hardware.wifi",),
    "bluetooth": ("android.hardware.bluetooth",),
    "head_tracking": ("android.hardware.vr.headtracking",),
    "gamepad": ("android.hardware.gamepad",),
}
EVERY_DEVICE = ("android.software.app_widgets", "android.hardware.screen.landscape")


def device_features(spec: DeviceSpec) -> frozenset[str]:
    found = set(EVERY_DEVICE) | set(BY_CLASS.get(spec.device_class, ()))
    for capability in spec.capabilities:
        found.update(BY_CAPABILITY.get(capability, ()))
    return frozenset(found)
