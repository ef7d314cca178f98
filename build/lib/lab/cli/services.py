"""`lab services up|down|status`: the TOS+ cloud services the inventory declares
(`farm.services`), each a process of its own."""

from __future__ import annotations

import json
from dataclasses import asdict

import click
from rich.table import Table

from lab.cli.devices import inventory_option
from lab.cli.output import stdout
from lab.inventory import load_inventory

_STYLE = {"running": "green", "stopped": "dim", "dead": "red", "remote": "yellow"}


@click.group()
def services() -> None:
    """Start and stop the payment sandbox (and the other declared services)."""


@services.command()
@inventory_option
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def up(inventory_path: str, names: tuple[str, ...], as_json: bool) -> None:
    """Start the declared services that are down; wait until each answers."""
    from lab.services import supervisor  # only the CLI starts the services (an island)

    inventory = load_inventory(inventory_path)
    with stdout.status("starting services..."):
        rows = supervisor.up(inventory, list(names) or None)
    _show(rows, as_json)


@services.command()
@inventory_option
@click.argument("names", nargs=-1, metavar="[NAME]...")
def down(inventory_path: str, names: tuple[str, ...]) -> None:
    """Stop the services this lab started."""
    from lab.services import supervisor

    stopped = supervisor.down(load_inventory(inventory_path), list(names) or None)
    stdout.print(f"stopped: {', '.join(stopped) if stopped else 'nothing was running'}")


@services.command()
@inventory_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (URLs and pids).")
def status(inventory_path: str, as_json: bool) -> None:
    """Each declared service: URL, state, pid, database and log."""
    from lab.services import supervisor

    _show(supervisor.status(load_inventory(inventory_path)), as_json)


def _show(rows: list, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"services": [asdict(row) for row in rows]}, indent=2))
        return
    if not rows:
        stdout.print("no services declared (farm.services in the inventory)")
        return
    table = Table()
    for column in ("service", "url", "state", "pid", "database / problem"):
        table.add_column(column)
    for row in rows:
        state = f"[{_STYLE.get(row.state, 'white')}]{row.state}[/]"
        table.add_row(row.name, row.url, state, str(row.pid or ""), row.problem or row.database)
    stdout.print(table)
