"""`lab device shell | console | screenshot | ui ID`: a person looking at one device of the
inventory while writing a test: a shell, its serial console, its screen, and its UI
hierarchy with the resource ids, text and bounds a test selects by (what an inspector
shows). A device leased to a test run is still reachable: its holder is named first."""

from __future__ import annotations

import os
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import click

from lab.cli.devices import inventory_option
from lab.cli.output import stdout, warn
from lab.device.adb_server import AdbServer, adb_binary
from lab.device.dut import Dut
from lab.device.factory import open_dut
from lab.errors import LabError
from lab.farm.books import open_books
from lab.farm.remote import with_exported
from lab.inventory import Inventory, load_inventory
from lab.inventory.suggest import did_you_mean


@click.group()
def device() -> None:
    """Look at one device: a shell, its console, its screen, its UI hierarchy."""


def _open(inventory_path: str, device_id: str) -> tuple[Inventory, Dut]:
    inventory = load_inventory(inventory_path)
    store = open_books(inventory.farm.lease_store, inventory.base_dir)
    inventory = with_exported(inventory, store, said=warn)
    known = [d.id for d in inventory.devices]
    if device_id not in known:
        raise LabError(
            f"no device {device_id!r} in {inventory.path}{did_you_mean(device_id, known)}",
            hint=f"its devices: {', '.join(known)}",
        )
    lease = store.holder(device_id)
    if lease is not None:
        warn(f"{device_id} is leased to {lease.holder} ({lease.purpose or 'no test named'}): "
             "what you do here happens under that test")  # fmt: skip
    chosen = inventory.device(device_id)
    server = AdbServer(chosen.adb_server(inventory.farm))
    server.ensure_running()
    serial = chosen.adb.serial
    if ":" in serial and server.states().get(serial) != "device":
        server.reconnect(serial)  # a network device (a virtual one): attach it
    logs = Path(tempfile.gettempdir()) / "lab-device"
    return inventory, open_dut(inventory, device_id, log_dir=logs)  # unleased: warned above


@device.command()
@inventory_option
@click.argument("device_id", metavar="ID")
@click.argument("command", nargs=-1)
def shell(inventory_path: str, device_id: str, command: tuple[str, ...]) -> None:
    """A shell on ID (adb shell), or COMMAND's output and exit status."""
    _, dut = _open(inventory_path, device_id)
    server = AdbServer(dut.adb.server)
    where = ["-P", str(server.port)] if server.is_local else ["-H", server.host, "-P",
                                                                str(server.port)]  # fmt: skip
    argv = [adb_binary(), *where, "-s", dut.info.adb.serial, "shell", *command]
    dut.close()
    os.execv(argv[0], argv)  # the terminal is the device's now: adb's own exit status


@device.command()
@inventory_option
@click.argument("device_id", metavar="ID")
def console(inventory_path: str, device_id: str) -> None:
    """ID's serial console, interactive (pyserial's miniterm; Ctrl-] leaves)."""
    _, dut = _open(inventory_path, device_id)
    port = dut.console  # resolves a virtual device's pty, checks the port opens
    url, baud = port.url, port.baud
    port.close()
    argv = [sys.executable, "-m", "serial.tools.miniterm", "--raw", "--eol", "LF", url, str(baud)]
    os.execv(argv[0], argv)


@device.command()
@inventory_option
@click.argument("device_id", metavar="ID")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to save the PNG (default: ID.png here).")  # fmt: skip
def screenshot(inventory_path: str, device_id: str, output: Path | None) -> None:
    """Save ID's screen as a PNG."""
    _, dut = _open(inventory_path, device_id)
    try:
        data = dut.screenshot_png()
    finally:
        dut.close()
    path = output or Path(f"{device_id}.png")
    path.write_bytes(data)
    stdout.print(f"{path} ({len(data)} bytes)", markup=False)


@device.command()
@inventory_option
@click.argument("device_id", metavar="ID")
@click.option("--all", "everything", is_flag=True, help="Also nodes with no id and no text.")
def ui(inventory_path: str, device_id: str, everything: bool) -> None:
    """ID's UI hierarchy as a test selects it: resource id, text, class, bounds, and
    whether it is clickable, focused (`dut.ui.tap(resourceId=...)`, `text=...`)."""
    _, dut = _open(inventory_path, device_id)
    try:
        xml = dut.hierarchy()
    finally:
        dut.close()
    for line in hierarchy_lines(xml, everything):
        stdout.print(line, markup=False, soft_wrap=True)


def hierarchy_lines(xml: str, everything: bool = False) -> list[str]:
    """One line per node, indented by depth: `resourceId="..." text="..." [bounds] class`."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise LabError(f"the device's UI hierarchy is not XML: {exc}") from None
    lines: list[str] = []

    def walk(node: ET.Element, depth: int) -> None:
        rid, text = node.get("resource-id", ""), node.get("text", "")
        desc = node.get("content-desc", "")
        if node.tag == "node" and (everything or rid or text or desc):
            parts = [f'resourceId="{rid}"' if rid else "", f'text="{text}"' if text else "",
                     f'description="{desc}"' if desc else "", node.get("bounds", ""),
                     node.get("class", "").rsplit(".", 1)[-1]]  # fmt: skip
            flags = [f for f in ("clickable", "focused", "checked") if node.get(f) == "true"]
            lines.append("  " * depth + " ".join(p for p in (*parts, *flags) if p))
        for child in node:
            walk(child, depth + (node.tag == "node"))

    walk(root, 0)
    return lines
