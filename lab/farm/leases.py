"""Leases: a device serves one test process at a time.

Two stores keep the same books (lab/farm/books.py): `file:DIR` for one host (flock:
the kernel drops a lock when its process dies) and `redis://host:port/db` for several
controllers on several hosts (a TTL kept alive by a heartbeat, so a dead controller's
leases expire). Every lease carries a fencing token, larger than any earlier token of its
device: a holder whose token is no longer the device's current one has lost the lease and
must not act on the device (the harness checks before each device operation). Both stores
also keep each device's health (lab.farm.health) and a log of every lease event, from which
overlaps can be checked.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from lab.errors import Category, LabError


class LeaseTimeout(LabError):
    """No lease on the device in time: the farm is busy (lab infrastructure, not the test)."""


class LeaseLost(LabError):
    """This process no longer holds the device's lease (it expired, or another took it):
    it must not act on the device."""

    category = Category.LAB_INFRASTRUCTURE


@dataclass(frozen=True)
class Lease:
    device_id: str
    holder: str
    pid: int
    since: float
    token: int = 0  # fencing: larger than every earlier lease's token on this device
    purpose: str = ""  # what it is for: the test's id (the dashboard shows it)
    # this process's monotonic clock when it asked for the lease it got (a TTL store):
    # the TTL runs from a moment after that, so counting from it never overstays
    granted: float = field(default=0.0, compare=False)


class Leases(Protocol):
    """The leases of a farm's books (lab/farm/books.py keeps them with the rest)."""

    ttl: float | None  # seconds a lease lives without a heartbeat; None: while its process

    def acquire(self, device_id: str, holder: str, timeout: float, purpose: str = "") -> Lease: ...
    def release(self, lease: Lease) -> None: ...
    def holder(self, device_id: str) -> Lease | None: ...
    def renew(self, lease: Lease) -> bool: ...  # False: the lease is no longer this one
    def events(self) -> list[dict]: ...  # the lease log, oldest first


def holder_name(worker: str = "") -> str:
    """host:pid[:xdist worker], what a lease records as its holder."""
    name = f"{socket.gethostname()}:{os.getpid()}"
    return f"{name}:{worker}" if worker else name


def overlaps(events: list[dict] | Path) -> list[str]:
    """Pairs of holders that held one device at the same time, read from a lease log (in
    the store's order). A lease ends at its release, or when the store noticed that it
    expired (Redis) or that its process had died holding it (`reclaim`, file store)."""
    if isinstance(events, Path):
        events = [json.loads(line) for line in events.read_text().splitlines()]
    held: dict[str, str] = {}
    problems = []
    for entry in events:
        device, holder = entry["device"], entry["holder"]
        if entry["event"] == "acquire":
            if device in held:
                problems.append(f"{device}: {holder} acquired while {held[device]} held it")
            held[device] = holder
        elif entry["event"] in ("release", "expire", "reclaim") and held.get(device) == holder:
            del held[device]
    return problems
