"""`lab farm hold ID --for 30m --why ...`: a person reserves a device by hand (to debug
it, to plug a cable): a lease like a test's, in the farm's books with who and why, so no
run takes the device meanwhile. It is held while this command runs, and released when
the time is up or on Ctrl-C (a lease lives with its holder: a holder that dies loses it,
as a test's does, within the store's TTL)."""

from __future__ import annotations

import getpass
import re
import signal
import socket
import threading
import time

import click

from lab.cli.devices import inventory_option
from lab.cli.output import stdout, warn
from lab.errors import LabError
from lab.farm.books import open_books
from lab.farm.keeper import LeaseKeeper
from lab.farm.leases import LeaseTimeout
from lab.farm.remote import with_exported
from lab.inventory import load_inventory
from lab.inventory.suggest import did_you_mean

_DURATION = re.compile(r"^(\d+)([smh])$")
_UNITS = {"s": 1, "m": 60, "h": 3600}


def duration(text: str) -> float:
    """`90s`, `30m`, `2h` in seconds."""
    found = _DURATION.match(text.strip())
    if not found or int(found.group(1)) == 0:
        raise LabError(f"--for {text!r}: expected a duration like 90s, 30m or 2h")
    return int(found.group(1)) * _UNITS[found.group(2)]


@click.command()
@inventory_option
@click.argument("device_id", metavar="ID")
@click.option("--for", "length", required=True, help="How long: 90s, 30m, 2h.")
@click.option("--why", required=True, help="Why, for whoever finds it held.")
@click.option("--wait", type=click.FloatRange(0, 86400), default=0, show_default=True,
              help="Seconds to wait for a test holding it to end.")  # fmt: skip
def hold(inventory_path: str, device_id: str, length: str, why: str, wait: float) -> None:
    """Reserve ID by hand for a while: no test run takes it until released (Ctrl-C)."""
    seconds = duration(length)
    if not why.strip():
        raise LabError("--why is empty", hint="say why, e.g. --why 'debugging the NFC field'")
    inventory = load_inventory(inventory_path)
    store = open_books(inventory.farm.lease_store, inventory.base_dir)
    known = [d.id for d in with_exported(inventory, store, said=warn).devices]
    if device_id not in known:
        raise LabError(f"no device {device_id!r}{did_you_mean(device_id, known)}",
                       hint=f"its devices: {', '.join(known)}")  # fmt: skip
    holder = f"{getpass.getuser()}@{socket.gethostname()} (lab farm hold)"
    try:
        lease = store.acquire(device_id, holder, wait, purpose=f"held by hand: {why.strip()}")
    except LeaseTimeout as exc:
        raise LabError(exc.message, hint="--wait SECONDS waits for it to be free") from None
    keeper = LeaseKeeper(store)
    keeper.hold(lease)  # renewed while held, on a store with a TTL
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    until = time.strftime("%H:%M:%S", time.localtime(time.time() + seconds))
    stdout.print(f"{device_id}: held until {until} ({why.strip()}); Ctrl-C releases it",
                 markup=False)  # fmt: skip
    try:
        done.wait(seconds)
    finally:
        keeper.drop(lease)
        store.release(lease)
    stdout.print(f"{device_id}: released", markup=False)
