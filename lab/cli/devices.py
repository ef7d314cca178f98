"""`lab devices`: the inventory with each device's live adb and console state."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from lab.cli.output import stdout, warn
from lab.errors import LabError
from lab.farm.books import open_books
from lab.farm.probe import DeviceStatus, probe_farm
from lab.farm.remote import with_exported
from lab.inventory import DEFAULT_INVENTORY, DEVICE_CLASSES, load_inventory

_STATE_STYLE = {"device": "green", "offline": "yellow", "unauthorized": "magenta", "absent": "red"}
_CONSOLE_STYLE = {"opens": "green", "fails": "red", "not running": "yellow", "none": "dim"}

inventory_option = click.option(
    "--inventory",
    "inventory_path",
    type=click.Path(dir_okay=False),
    default=str(DEFAULT_INVENTORY),
    show_default=True,
    help="Device inventory YAML.",
)


@click.command()
@inventory_option
@click.option(
    "--class", "device_class", type=click.Choice(DEVICE_CLASSES), help="Only devices of this class."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--connect",
    is_flag=True,
    help="`adb connect` network devices first (otherwise they show as absent).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 60),
    default=3.0,
    show_default=True,
    help="Seconds each probe may take.",
)
@click.option("--discover", is_flag=True,
              help="List the adb devices the inventory lacks, as entries to paste.")  # fmt: skip
@click.option("--write", "write_to", type=click.Path(dir_okay=False, path_type=Path),
              help="With --discover: add them to this inventory (checked first).")  # fmt: skip
def devices(
    inventory_path: str,
    device_class: str | None,
    as_json: bool,
    connect: bool,
    timeout: float,
    discover: bool,
    write_to: Path | None,
) -> None:
    """List the inventory's devices with their adb state and console."""
    if discover or write_to:
        _discover(inventory_path, write_to)
        return
    inventory = load_inventory(inventory_path)
    store = open_books(inventory.farm.lease_store, inventory.base_dir)
    inventory = with_exported(inventory, store, said=warn)  # and those other hosts export
    chosen = inventory.select(device_class=device_class)
    if not chosen:
        raise LabError(
            f"{inventory_path}: no device of class {device_class!r}",
            hint=f"classes present: {sorted({d.device_class for d in inventory.devices})}",
        )
    statuses = probe_farm(inventory, chosen, connect=connect, timeout=timeout)
    if as_json:
        click.echo(
            json.dumps(
                {"inventory": inventory.path, "devices": [s.as_json() for s in statuses]}, indent=2
            )
        )
    else:
        stdout.print(_table(inventory_path, statuses))
        for note in _notes(statuses):
            stdout.print(f"[dim]- {note}[/]")


def _discover(inventory_path: str, write_to: Path | None) -> None:
    from lab.farm.discover import ids_for, unknown_devices, with_entries

    inventory = load_inventory(inventory_path)
    found = unknown_devices(inventory)
    if not found:
        stdout.print(f"every device the adb server sees is in {inventory_path} already")
        return
    ids = ids_for(found, {d.id for d in inventory.devices})
    entries = [device.entry(device_id) for device, device_id in zip(found, ids, strict=True)]
    if write_to is None:
        stdout.print(f"# {len(found)} device(s) the adb server sees and {inventory_path} lacks; "
                     "review, then paste under `devices:`", markup=False)  # fmt: skip
        for entry in entries:
            stdout.print(entry, markup=False, soft_wrap=True)
        return
    before = write_to.read_text()
    write_to.write_text(with_entries(before, entries))
    try:
        load_inventory(write_to)
    except LabError:
        write_to.write_text(before)  # nothing half-written stays
        raise
    stdout.print(f"added {', '.join(ids)} to {write_to} (review their capabilities)")


def _table(title: str, statuses: list[DeviceStatus]) -> Table:
    table = Table(title=f"TOS+ farm: {title}", title_justify="left")
    for column in ("id", "class", "model", "serial", "state", "console"):
        table.add_column(column, no_wrap=column in ("id", "serial", "state"))
    for s in statuses:
        state = f"[{_STATE_STYLE.get(s.state, 'yellow')}]{s.state}[/]"
        console = f"[{_CONSOLE_STYLE.get(s.console, 'white')}]{s.console}[/]"
        if s.console_url:
            console += f"\n[dim]{s.console_url}[/]"
        virtual = "\n[dim]virtual[/]" if s.virtual else ""
        table.add_row(
            s.id,
            s.device_class + virtual,
            f"{s.model}\n[dim]{s.platform}[/]",
            f"{s.serial}\n[dim]@{s.adb_server}[/]",
            state,
            console,
        )
    return table


def _notes(statuses: list[DeviceStatus]) -> list[str]:
    """One line per distinct problem, below the table (the JSON carries them per device)."""
    seen: dict[str, list[str]] = {}
    for s in statuses:
        for text in (s.detail, s.console_detail if s.console == "fails" else ""):
            if text:
                seen.setdefault(text.splitlines()[-1], []).append(s.id)
    return [f"{', '.join(ids)}: {text}" for text, ids in seen.items()]
