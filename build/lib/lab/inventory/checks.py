"""Checks that span several devices or fields, which a per-field schema cannot see."""

from __future__ import annotations

from lab.inventory.schema import Inventory, is_loopback, parse_host_port
from lab.inventory.yaml_source import PathKey

# The adb server auto-attaches anything listening on these loopback ports as emulator-55xx,
# so a virtual device there would show up twice.
_ADB_EMULATOR_PORTS = range(5554, 5586)

_SHAPE_OF = {"round_display": "round", "stereo_display": "stereo"}

Problem = tuple[PathKey, str, str | None]  # path, message, hint


def cross_checks(inventory: Inventory) -> list[Problem]:
    problems: list[Problem] = []
    first_id: dict[str, int] = {}
    first_serial: dict[tuple[str, str], int] = {}
    for index, device in enumerate(inventory.devices):
        where: PathKey = ("devices", index)
        if device.id in first_id:
            problems.append(
                (
                    (*where, "id"),
                    f"duplicate id {device.id!r} (also devices[{first_id[device.id]}])",
                    "every device needs its own id",
                )
            )
        first_id.setdefault(device.id, index)

        serial_key = (device.adb_server(inventory.farm), device.adb.serial)
        if serial_key in first_serial:
            problems.append(
                (
                    (*where, "adb", "serial"),
                    f"duplicate adb serial {device.adb.serial!r} on server {serial_key[0]} "
                    f"(also devices[{first_serial[serial_key]}])",
                    "two inventory entries cannot be the same physical device",
                )
            )
        first_serial.setdefault(serial_key, index)

        if device.virtual:
            problems += _virtual_checks(device.adb.serial, (*where, "adb", "serial"))
        else:
            if device.console and device.console.url == "pty":
                problems.append(
                    (
                        (*where, "console", "url"),
                        "`pty` consoles exist only on virtual devices",
                        "give the real device's serial port, e.g. /dev/ttyUSB0 or rfc2217://host:port",
                    )
                )
            if device.adb.auth != "none" or device.adb.authorized_keys:
                problems.append(
                    (
                        (*where, "adb", "auth"),
                        "adb auth settings apply only to virtual devices",
                        "a real device decides itself which keys it trusts; remove the key",
                    )
                )

        for capability, shape in _SHAPE_OF.items():
            if device.has(capability) and device.display.shape != shape:
                problems.append(
                    (
                        (*where, "capabilities"),
                        f"capability {capability!r} contradicts display shape "
                        f"{device.display.shape!r}",
                        f"set display.shape: {shape} or drop the capability",
                    )
                )
    return problems + _peripheral_checks(inventory, first_id)


def _peripheral_checks(inventory: Inventory, device_index: dict[str, int]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, part in enumerate(inventory.peripherals):
        where: PathKey = ("peripherals", index)
        if part.id in seen or part.id in device_index:
            problems.append(
                (
                    (*where, "id"),
                    f"id {part.id!r} is taken",
                    "every device and part needs its own id",
                )
            )
        seen.setdefault(part.id, index)
        if part.faces not in device_index:
            problems.append(
                (
                    (*where, "faces"),
                    f"no device {part.faces!r} in this inventory",
                    "`faces` names the device the part sits beside",
                )
            )
            continue
        device = inventory.devices[device_index[part.faces]]
        if part.kind == "nfc_reader" and not device.has("nfc"):
            problems.append(
                (
                    (*where, "faces"),
                    f"{device.id} has no `nfc` capability: a reader beside it reads nothing",
                    "face a device with nfc, or add the capability",
                )
            )
        if part.port == "pty" and not part.virtual:
            problems.append(
                ((*where, "port"), "`pty` ports exist only on virtual parts", "set virtual: true")
            )
        if part.virtual and not device.virtual:
            problems.append(
                (
                    (*where, "virtual"),
                    f"a virtual reader cannot face {device.id}, a real device",
                    "use a real reader's port (/dev/ttyUSB0) and virtual: false",
                )
            )
    return problems


def _virtual_checks(serial: str, path: PathKey) -> list[Problem]:
    try:
        host, port = parse_host_port(serial)
    except ValueError:
        return [
            (
                path,
                f"a virtual device's serial is host:port; found {serial!r}",
                "e.g. 127.0.0.1:6520",
            )
        ]
    problems: list[Problem] = []
    if not is_loopback(host):
        problems.append(
            (path, f"virtual devices listen on loopback; found host {host!r}", "use 127.0.0.1")
        )
    if port in _ADB_EMULATOR_PORTS:
        problems.append(
            (
                path,
                f"port {port} is in 5554-5585, which the adb server claims for emulators",
                "pick a port outside that range, e.g. 6520",
            )
        )
    return problems
