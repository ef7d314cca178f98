"""The device classes, in one place: what each is and how Android says it of itself. The
inventory, the capability vocabulary, the plugin's options, the store's device schema, the
simulator's features and properties and `lab devices --discover` all read this registry,
so a new class (a key-only feature phone) is added here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeviceClass:
    name: str
    about: str
    # Android's words for it: ro.build.characteristics, and the PackageManager features
    # of its type; `lab devices --discover` knows the class by any of `detected_by`
    characteristics: str
    features: tuple[str, ...]
    detected_by: tuple[str, ...] = ()
    shape: str = "rect"  # the display's default shape (rect, round, stereo)


CLASSES: dict[str, DeviceClass] = {
    c.name: c
    for c in (
        DeviceClass(
            "watch", "a smartwatch (round or square, touch)", "watch",
            ("android.hardware.type.watch",), ("android.hardware.type.watch",), shape="round",
        ),
        DeviceClass(
            "tv", "a smart TV driven by a D-pad remote", "tv",
            ("android.hardware.type.television", "android.software.leanback",
             "android.software.leanback_only"),
            ("android.hardware.type.television", "android.software.leanback"),
        ),
        DeviceClass(
            "headset", "a VR headset (one image per eye)", "vr",
            ("android.hardware.vr.high_performance", "android.software.vr.mode"),
            ("android.hardware.vr.high_performance",), shape="stereo",
        ),
        DeviceClass(
            "phone", "a phone (touch; also the TV's game pad)", "default",
            ("android.hardware.telephony", "android.software.home_screen"),
        ),
    )
}  # fmt: skip
NAMES: tuple[str, ...] = tuple(CLASSES)  # in the order reports and options list them
FALLBACK = "phone"  # what a device whose features name no class is taken for


def class_of_features(features: set[str]) -> str:
    """The class a device's PackageManager features say it is; FALLBACK when none does."""
    for device_class in CLASSES.values():
        if features & set(device_class.detected_by):
            return device_class.name
    return FALLBACK
