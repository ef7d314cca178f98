"""`lab sim up|down|status|fault`: the embedded farm of virtual devices."""

from __future__ import annotations

import json

import click
from rich.table import Table

from lab.cli.devices import inventory_option
from lab.cli.output import stdout
from lab.inventory import load_inventory
from lab.sim.faults import KINDS as FAULTS

_STATE_STYLE = {"running": "green", "booting": "yellow", "stopped": "dim", "dead": "red"}


@click.group()
def sim() -> None:
    """Start and stop the virtual devices the inventory declares (`virtual: true`)."""


@sim.command()
@inventory_option
@click.option("--only", multiple=True, metavar="ID", help="Only these devices (repeatable).")
@click.option(
    "--boot-seconds",
    type=click.FloatRange(0, 60),
    default=1.0,
    show_default=True,
    help="How long a device takes to boot (sys.boot_completed 0 -> 1).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(1, 600),
    default=60,
    show_default=True,
    help="Seconds to wait for every device to be up and booted.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def up(
    inventory_path: str, only: tuple[str, ...], boot_seconds: float, timeout: float, as_json: bool
) -> None:
    """Start every virtual device as its own process and connect it to adb."""
    from lab.sim import supervisor  # rule 1: only the CLI reaches into lab.sim
    from lab.sim.peripherals import supervisor as parts

    inventory = load_inventory(inventory_path)
    lines: list[str] = []
    with stdout.status("starting virtual devices..."):
        rows = supervisor.up(
            inventory, list(only), boot_seconds=boot_seconds, timeout=timeout, said=lines.append
        )
    if not as_json:
        for line in lines:
            stdout.print(line, markup=False, soft_wrap=True)
    _show(rows, as_json, parts.status(inventory))


@sim.command()
@inventory_option
@click.option("--only", multiple=True, metavar="ID", help="Only these devices (repeatable).")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Every virtual device this user runs, whatever the inventory.",
)
def down(inventory_path: str, only: tuple[str, ...], everything: bool) -> None:
    """Stop virtual devices and disconnect them from adb."""
    from lab.sim import supervisor

    inventory = None if everything else load_inventory(inventory_path)
    servers = supervisor.adb_servers(inventory, list(only))
    stopped = supervisor.down(inventory, list(only))
    stdout.print(f"stopped: {', '.join(stopped) if stopped else 'nothing was running'}")
    for line in supervisor.release_adb_servers(servers):
        stdout.print(line, markup=False, soft_wrap=True)


@sim.command()
@inventory_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def status(inventory_path: str, as_json: bool) -> None:
    """Each virtual device's process, console path and adb state."""
    from lab.sim import supervisor
    from lab.sim.peripherals import supervisor as parts

    inventory = load_inventory(inventory_path)
    _show(supervisor.status(inventory), as_json, parts.status(inventory))


@sim.command()
@inventory_option
@click.argument("device_id", metavar="DEVICE")
@click.argument(
    "kind",
    type=click.Choice([*FAULTS, "all"]),
)
@click.option("--seconds", type=click.FloatRange(0.1, 3600), help="Undo by itself after this long.")
@click.option(
    "--value",
    type=float,
    help="slow, slow-agent: delay in seconds; console-garbage: byte count.",
)
@click.option("--clear", is_flag=True, help="Clear this fault (KIND `all`: every fault).")
def fault(
    inventory_path: str,
    device_id: str,
    kind: str,
    seconds: float | None,
    value: float | None,
    clear: bool,
) -> None:
    """Inject a fault into a running virtual device (for reliability tests)."""
    from lab.sim import supervisor

    answer = supervisor.inject(
        load_inventory(inventory_path), device_id, kind, seconds, value, clear
    )
    stdout.print(f"{device_id}: active faults {answer.get('faults') or 'none'}")


def _show(rows, as_json: bool, parts: list | None = None) -> None:
    parts = parts or []
    if as_json:
        shown = {"devices": [r.as_json() for r in rows], "peripherals": [vars(p) for p in parts]}
        click.echo(json.dumps(shown, indent=2))
        return
    table = Table(title="virtual devices", title_justify="left")
    for column in ("id", "class", "serial", "state", "adb", "console", "pid"):
        table.add_column(column, no_wrap=True)
    for r in rows:
        style = _STATE_STYLE.get(r.state, "white")
        table.add_row(
            r.id,
            r.device_class,
            r.serial,
            f"[{style}]{r.state}[/]",
            r.adb,
            r.console or "-",
            str(r.pid or "-"),
        )
    stdout.print(table)
    if parts:
        bench = Table(title="virtual parts of the bench", title_justify="left")
        for column in ("id", "kind", "faces", "state", "port", "pid"):
            bench.add_column(column, no_wrap=True)
        for p in parts:
            style = _STATE_STYLE.get(p.state, "white")
            bench.add_row(
                p.id, p.kind, p.faces, f"[{style}]{p.state}[/]", p.port or "-", str(p.pid or "-")
            )
        stdout.print(bench)
