"""`lab farm up|down|health|quarantine|release|serve|export`: the farm's shared books (leases and
health), its Redis server and its live dashboard."""

from __future__ import annotations

import getpass
import json
import os
import secrets
import signal
import socket
import threading
import time
from pathlib import Path

import click
from rich.table import Table

from lab.cli.devices import inventory_option
from lab.cli.hold import hold
from lab.cli.output import stderr, stdout, warn
from lab.errors import LabError
from lab.farm import redis_server
from lab.farm.books import Books, open_books
from lab.farm.health import Health, HealthRecord
from lab.farm.redis_target import redis_target
from lab.farm.remote import with_exported
from lab.inventory import Inventory, is_loopback, load_inventory
from lab.runtime import runtime_dir

_STYLE = {"good": "green", "unknown": "dim", "bad": "red", "maintenance": "yellow",
          "retired": "magenta"}  # fmt: skip


@click.group()
def farm() -> None:
    """The farm's books: health, quarantine, leases, and the Redis server behind them."""


def _store(inventory_path: str) -> tuple[Inventory, Books]:
    """The inventory with the devices other hosts export, and the farm's store."""
    inventory = load_inventory(inventory_path)
    store = open_books(inventory.farm.lease_store, inventory.base_dir)
    return with_exported(inventory, store, said=warn), store


@farm.command()
@inventory_option
def up(inventory_path: str) -> None:
    """Start the farm's Redis server (for a `redis://` lease store) unless it is up; with
    `?password_file=PATH` in the URL it wants that password (a new file is made if none)."""
    target = redis_target(load_inventory(inventory_path))
    if target is None:
        stdout.print("the lease store is a folder (file:): nothing to start")
        return
    stdout.print(redis_server.up(target))


@farm.command()
@inventory_option
def down(inventory_path: str) -> None:
    """Stop the Redis server `lab farm up` started (its data stays for the next start)."""
    target = redis_target(load_inventory(inventory_path))
    stdout.print(
        redis_server.down(target) if target else "the lease store is a folder: nothing to stop"
    )


@farm.command()
@inventory_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--history", "history_of", metavar="ID", help="One device's health history.")
def health(inventory_path: str, as_json: bool, history_of: str | None) -> None:
    """Each device's health (good, unknown, bad, maintenance, retired) and lease holder."""
    inventory, store = _store(inventory_path)
    if history_of:
        _known(inventory, history_of)
        records = store.health_history(history_of, limit=50)
        if as_json:
            stdout.print_json(json.dumps([r.as_json() for r in records]))
            return
        for record in records:
            stdout.print(f"{time.ctime(record.at)}  {record.state.value:<11} {record.why}"
                         f"  ({record.by})", markup=False, soft_wrap=True)  # fmt: skip
        return
    rows = []
    for device in inventory.devices:
        record, lease = store.health(device.id), store.holder(device.id)
        rows.append({**record.as_json(), "class": device.device_class,
                     "holder": lease.holder if lease else None,
                     "test": lease.purpose if lease else None,
                     "token": lease.token if lease else None})  # fmt: skip
    if as_json:
        stdout.print_json(json.dumps({"devices": rows}))
        return
    table = Table(title=f"farm health ({inventory.farm.lease_store})", title_justify="left")
    for column in ("device", "class", "health", "since", "why", "lease"):
        table.add_column(column)
    for row in rows:
        state = row["state"]
        since = time.strftime("%m-%d %H:%M:%S", time.localtime(row["at"])) if row["at"] else "-"
        table.add_row(row["device_id"], row["class"], f"[{_STYLE[state]}]{state}[/]", since,
                      row["why"] or "-", row["holder"] or "free")  # fmt: skip
    stdout.print(table)


def _known(inventory: Inventory, device_id: str) -> None:
    if device_id not in {d.id for d in inventory.devices}:
        raise LabError(
            f"no device {device_id!r} in {inventory.path}",
            hint=f"devices: {', '.join(d.id for d in inventory.devices)}",
        )


def _person(command: str) -> str:
    return f"{getpass.getuser()}@{socket.gethostname()} (lab farm {command})"


@farm.command()
@inventory_option
@click.argument("device_id")
@click.option("--why", required=True, help="The reason, for whoever finds it out of the farm.")
@click.option("--retire", is_flag=True, help="Out for good (retired) rather than maintenance.")
def quarantine(inventory_path: str, device_id: str, why: str, retire: bool) -> None:
    """Take a device out of the farm: it gets no tests and no checks until released."""
    inventory, store = _store(inventory_path)
    _known(inventory, device_id)
    if not why.strip():
        raise LabError("--why is empty", hint="say why, e.g. --why 'cracked screen'")
    state = Health.RETIRED if retire else Health.MAINTENANCE
    store.set_health(HealthRecord(device_id, state, why.strip(), _person("quarantine")))
    stdout.print(f"{device_id}: {state.value} ({why.strip()})")


@farm.command()
@inventory_option
@click.argument("device_id")
def release(inventory_path: str, device_id: str) -> None:
    """Return a device to the farm: unknown, health-checked before its next test."""
    inventory, store = _store(inventory_path)
    _known(inventory, device_id)
    before = store.health(device_id)
    store.set_health(HealthRecord(device_id, Health.UNKNOWN, f"released from {before.state.value}",
                                  _person("release")))  # fmt: skip
    stdout.print(f"{device_id}: unknown (was {before.state.value}); checked before its next test")


@farm.command()
@inventory_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8770, show_default=True)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False),
    help="The token quarantine and release need (made, mode 0600, when missing; "
    "default: in the runtime directory).",
)
@click.option(
    "--thumbnails/--no-thumbnails", default=True, help="Take a small screenshot of each device."
)
def serve(
    inventory_path: str, host: str, port: int, token_file: str | None, thumbnails: bool
) -> None:
    """The live dashboard: devices, health, leases, runs; quarantine and release."""
    import uvicorn

    from lab.farm.dashboard.app import create_app
    from lab.farm.dashboard.thumbnails import Thumbnails

    inventory = load_inventory(inventory_path)  # exported devices join as they come
    store = open_books(inventory.farm.lease_store, inventory.base_dir)
    path = Path(token_file) if token_file else runtime_dir() / "dashboard.token"
    token = _token(path)
    shots = Thumbnails(inventory, store) if thumbnails else None
    if shots:
        shots.start()
    local = is_loopback(host)
    who = "quarantine/release" if local else "every read and quarantine/release (off loopback)"
    stdout.print(f"dashboard on http://{host}:{port}/ (the token for {who}: in {path})")
    try:
        app = create_app(inventory, store, token, shots, open_reads=local)
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        if shots:
            shots.stop()


def _token(path: Path) -> str:
    """The dashboard's token, read from `path` or made there (never printed: a secret)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(24) + "\n")
    token = path.read_text().strip()
    if len(token) < 16:
        raise LabError(f"the token in {path} is too short (16 characters at least)")
    return token


@farm.command()
@inventory_option
@click.option("--advertise", required=True, help="This host's address the farm reaches it on.")
@click.option("--name", default=socket.gethostname(), show_default=True, help="Host name.")
@click.option("--console-port", type=click.IntRange(1, 65000), default=7100, show_default=True,
              help="First TCP port for the RFC 2217 consoles (one per device).")  # fmt: skip
@click.option("--sim", is_flag=True, help="Start the inventory's virtual devices here too.")
def export(inventory_path: str, advertise: str, name: str, console_port: int, sim: bool) -> None:
    """Serve this host's devices to the farm: the adb server on --advertise, consoles
    through ser2net as RFC 2217, registered in the farm's store until stopped."""
    from lab.farm.export import Exporter

    inventory = load_inventory(inventory_path)  # this host's own devices only
    store = open_books(inventory.farm.lease_store, inventory.base_dir)
    store.hosts()  # the farm's store answers, before anything is started here
    exporter = Exporter(inventory, store, advertise, name, console_port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    started: list[str] = []
    try:
        stdout.print(exporter.serve_adb())
        if sim:
            from lab.sim import supervisor  # rule 1: only the CLI starts virtual devices

            started = [d.id for d in inventory.devices if d.virtual]
            supervisor.up(inventory, started)
        for line in exporter.serve_serial_lines():
            stdout.print(line)
        exporter.register()  # the store must answer now; later outages are retried
        stdout.print(f"exporting {len(inventory.devices)} devices as {name!r} to "
                     f"{inventory.farm.lease_store} (Ctrl-C stops)")  # fmt: skip
        exporter.keep_registered(stop, lambda text: stderr.print(f"[yellow]{text}[/]"))
    finally:
        exporter.stop()
        if started:
            from lab.sim import supervisor

            supervisor.down(inventory, started)


farm.add_command(hold)
