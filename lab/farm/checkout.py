"""The one way to take a device to act on it, in pytest or out (labgrid's acquire before
a target, Mobly's controller): lease it (a keeper renews the lease), fence every
operation with the lease's token, check its health, start its capture services (logcat,
console log), hand it over; on the way out stop them, close it and release the lease.

    from lab.farm.checkout import checkout
    from lab.inventory import load_inventory

    inventory = load_inventory("device_inventory.yaml")
    with checkout(inventory, "watch-1", purpose="my script") as dut:
        dut.shell("input keyevent HOME")

Once the lease is lost (expired while the process stalled, taken over by another holder)
every operation, the raw adbutils and uiautomator2 objects included, raises LeaseLost
before it reaches the device."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lab.device.capture.logcat import LogcatService
from lab.device.dut import Dut
from lab.device.factory import open_dut
from lab.device.screen import Goldens
from lab.errors import LabError
from lab.farm.books import Books, open_books
from lab.farm.keeper import LeaseKeeper
from lab.farm.leases import Lease, holder_name
from lab.farm.readiness import Readiness
from lab.inventory import Inventory
from lab.runtime import runtime_dir


@contextmanager
def checkout(
    inventory: Inventory,
    device_id: str,
    *,
    purpose: str,
    books: Books | None = None,
    keeper: LeaseKeeper | None = None,
    readiness: Readiness | None = None,
    lease: Lease | None = None,
    lease_timeout: float = 60.0,
    timeout: float = 30.0,
    log_dir: Path | None = None,
    goldens: Goldens | None = None,
    check: bool = True,
) -> Iterator[Dut]:
    """Device `device_id` of `inventory`, leased for `purpose` (shown in `lab farm
    status`) within `lease_timeout` s (LeaseTimeout otherwise), fenced, health-checked
    (DeviceUnavailable with the check's report; `check=False` skips it, for a person
    looking at a broken device), with its capture services running.

    A process taking many devices passes its own `books`, `keeper` (one heartbeat for all
    its leases) and `readiness` (checks kept between checkouts); `lease`: one taken
    already (a pool's first free device). Defaults: the inventory's books, a keeper and a
    readiness of this checkout's own."""
    books = books or open_books(inventory.farm.lease_store, inventory.base_dir)
    own_keeper = keeper is None
    keeper = keeper or LeaseKeeper(books)
    if readiness is None:
        readiness = Readiness(books, holder_name(), device_timeout=timeout)
    if lease is None:
        lease = books.acquire(device_id, readiness.holder, lease_timeout, purpose)
    keeper.hold(lease)
    try:
        taken = lease  # the fence's lease: this one, whatever the caller rebinds
        dut = open_dut(
            inventory,
            device_id,
            log_dir=log_dir or runtime_dir() / "logs",  # private to this user (0700)
            timeout=timeout,
            goldens=goldens,
            fence=lambda operation: keeper.guard(taken, operation),
        )
        try:
            if check:
                readiness.ready(dut)
            streams = readiness.streams
            if streams is not None and device_id not in streams:
                streams[device_id] = LogcatService(dut.adb)
            dut.start_captures(streams[device_id] if streams is not None else None)
            yield dut
        finally:
            dut.close()
    except BaseException:
        # what went wrong is the news: a store away at release must not replace it (the
        # lease lapses by its TTL, or with this process, anyway)
        with contextlib.suppress(LabError):
            _give_back(keeper, books, lease, own_keeper)
        raise
    _give_back(keeper, books, lease, own_keeper)


def _give_back(keeper: LeaseKeeper, books: Books, lease: Lease, own_keeper: bool) -> None:
    keeper.drop(lease)
    if own_keeper:
        keeper.stop()  # its heartbeat, if it started one
    books.release(lease)
