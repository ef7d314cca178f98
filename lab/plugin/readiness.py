"""A pool's first free device: a --shard pool of one model, or the candidates to run a
test again elsewhere, share the tests as each becomes free (whether a device may take a
test at all is lab.farm.readiness)."""

from __future__ import annotations

import time

from lab.farm.leases import Lease, LeaseTimeout
from lab.inventory import Device
from lab.plugin.session import LabSession


def take_free(
    session: LabSession, ids: list[str], purpose: str, refused: set[str] = frozenset()
) -> tuple[Device, Lease]:
    """The first usable device of `ids` whose lease is free, leased. Devices in `refused`
    (failed their check for this test) and unusable ones are passed over."""
    deadline = time.monotonic() + session.lease_timeout
    # the device this process used last comes first: it is checked and warm already (each
    # device a process takes costs a health check; a pool run keeps that to one each)
    ids = sorted(ids, key=lambda i: i != session.last_device)
    while True:
        candidates = session.readiness.usable_of(ids, refused)
        for device_id in candidates:
            try:
                lease = session.leases.acquire(device_id, session.holder, 0.05, purpose)
            except LeaseTimeout:
                continue
            session.last_device = device_id
            return session.inventory.device(device_id), lease
        if time.monotonic() >= deadline:
            raise LeaseTimeout(f"none of {', '.join(candidates)} was free within "
                               f"{session.lease_timeout:g} s")  # fmt: skip
        time.sleep(0.2)
