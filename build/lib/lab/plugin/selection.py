"""Which inventory devices a test can run on, from its markers, and why none when none."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from lab.inventory import CAPABILITIES, DEVICE_CLASSES, Device
from lab.inventory.suggest import did_you_mean


class UnknownName(pytest.Collector.CollectError):
    """A marker names a class or capability the lab does not know: a typo would otherwise
    skip the test quietly ("no device with ...") on every farm. A collection error, as the
    inventory refuses the same words."""


@dataclass(frozen=True)
class Need:
    classes: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()

    def accepts(self, device: Device) -> bool:
        return (not self.classes or device.device_class in self.classes) and device.has(
            *self.capabilities
        )

    def describe(self) -> str:
        parts = []
        if self.classes:
            parts.append(f"class {' or '.join(self.classes)}")
        if self.capabilities:
            parts.append(f"capabilities {', '.join(self.capabilities)}")
        return " with ".join(parts) or "any device"


def need_of(markers: list[pytest.Mark], where: str = "marker") -> Need:
    """What the markers of a test (`where`: its name, for errors) ask of its device."""
    classes: tuple[str, ...] = ()
    capabilities: list[str] = []
    for mark in markers:
        if mark.name == "device_class":
            classes = tuple(mark.args)
        elif mark.name == "requires":
            capabilities += list(mark.args)
    return checked(Need(classes, tuple(dict.fromkeys(capabilities))), where)


def checked(need: Need, where: str) -> Need:
    """`need`, once every class and capability it names is one the lab knows."""
    for name in need.classes:
        if name not in DEVICE_CLASSES:
            raise UnknownName(
                f"{where}: unknown device class {name!r}{did_you_mean(name, DEVICE_CLASSES)}; "
                f"the classes are {', '.join(DEVICE_CLASSES)}"
            )
    for name in need.capabilities:
        if name not in CAPABILITIES:
            raise UnknownName(
                f"{where}: unknown capability {name!r}{did_you_mean(name, CAPABILITIES)}; "
                "the capabilities are listed in docs/INVENTORY.md"
            )
    return need


def matching(devices: list[Device], need: Need) -> list[Device]:
    return [d for d in devices if need.accepts(d)]


def why_none(devices: list[Device], need: Need) -> str:
    if not devices:
        return "no device selected (check --device / --device-class and the inventory)"
    near = [d for d in devices if not need.classes or d.device_class in need.classes]
    if need.classes and not near:
        return f"no device of {need.describe().split(' with ')[0]} in the selection"
    missing = sorted({cap for d in near for cap in need.capabilities if not d.has(cap)})
    return f"no device with {need.describe()}: lacking {', '.join(missing)}"


def role_need(wanted: str) -> Need:
    """What a role of `devices(...)` asks for: `phone:gamepad,camera` is class phone with
    capabilities gamepad and camera."""
    device_class, _, caps = wanted.partition(":")
    need = Need((device_class,), tuple(c.strip() for c in caps.split(",") if c.strip()))
    return checked(need, f"devices(... {wanted!r})")


def assign_roles(devices: list[Device], roles: dict[str, str]) -> dict[str, Device] | None:
    """One distinct device per role, or None when the farm has too few. A role asks for a
    class, and capabilities after a colon: `pad="phone:gamepad,camera"`."""
    chosen: dict[str, Device] = {}
    for role, wanted in roles.items():
        need = role_need(wanted)
        pick = next((d for d in devices if need.accepts(d) and d not in chosen.values()), None)
        if pick is None:
            return None
        chosen[role] = pick
    return chosen
