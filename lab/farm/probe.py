"""A live look at every inventory device: its adb state and whether its console opens."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

import serial

from lab.device.adb_server import AdbServer
from lab.device.console import serial_port
from lab.errors import LabError
from lab.inventory import Device, Inventory
from lab.runtime import resolve_port


@dataclass
class DeviceStatus:
    id: str
    device_class: str
    model: str
    platform: str
    virtual: bool
    serial: str
    adb_server: str
    state: str  # device | offline | unauthorized | absent | other adb states
    detail: str
    console_url: str | None
    console: str  # opens | fails | none | not running
    console_detail: str

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["class"] = data.pop("device_class")
        return data


def probe_farm(
    inventory: Inventory, devices: list[Device], *, connect: bool = False, timeout: float = 3.0
) -> list[DeviceStatus]:
    """Probe `devices` in parallel; every step is bounded by `timeout`."""
    servers = {d.adb_server(inventory.farm) for d in devices}
    listings = {
        address: _list_server(AdbServer(address, timeout), connect, devices, inventory)
        for address in sorted(servers)
    }
    with ThreadPoolExecutor(max_workers=max(1, min(16, len(devices)))) as pool:
        consoles = list(pool.map(lambda d: _console(d, timeout), devices))
    result = []
    for device, (console_url, console, console_detail) in zip(devices, consoles, strict=True):
        address = device.adb_server(inventory.farm)
        states, server_problem = listings[address]
        state = states.get(device.adb.serial, "absent")
        detail = server_problem or ("" if state != "absent" else "not attached to the adb server")
        result.append(
            DeviceStatus(
                id=device.id,
                device_class=device.device_class,
                model=device.model,
                platform=device.platform,
                virtual=device.virtual,
                serial=device.adb.serial,
                adb_server=address,
                state=state,
                detail=detail,
                console_url=console_url,
                console=console,
                console_detail=console_detail,
            )
        )
    return result


def _list_server(
    server: AdbServer, connect: bool, devices: list[Device], inventory: Inventory
) -> tuple[dict[str, str], str]:
    try:
        server.ensure_running()
        if connect:
            for device in devices:
                if device.adb_server(inventory.farm) == server.address and ":" in device.adb.serial:
                    # a refused connect shows as absent/offline below, with the server's reason
                    with contextlib.suppress(LabError):
                        server.connect(device.adb.serial)
        return server.states(), ""
    except LabError as exc:
        return {}, exc.message


def _console(device: Device, timeout: float) -> tuple[str | None, str, str]:
    if device.console is None:
        return None, "none", "no console in the inventory"
    url = resolve_port(device.console.url, device.id, "console")
    if url is None:
        return None, "not running", "virtual device is not up (`lab sim up`)"
    try:
        serial_port(url, device.console.baud, timeout, timeout).close()
    except (serial.SerialException, OSError, ValueError) as exc:
        return url, "fails", str(exc)
    return url, "opens", ""
