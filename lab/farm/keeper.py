"""Keeps a process's leases alive and says, before each device operation, whether one
is still ours.

With a TTL store (Redis) a thread renews every held lease each third of the TTL. A lease
is ours while the store has its token as the device's current one; when the store cannot
be reached, while its last renewal is younger than the TTL (it cannot have expired yet by
our own clock). Past that, or once another token took over, the holder is stale:
`guard` raises LeaseLost and the operation never reaches the device.
"""

from __future__ import annotations

import threading
import time

from lab.errors import LabError
from lab.farm.leases import Lease, LeaseLost, Leases
from lab.threads import background

Held = tuple[str, int]  # (device id, token): tokens count per device, so two devices'
# leases often carry the same token; keyed by token alone, one overwrote the other, which
# was then never renewed and expired mid-test


def _held(lease: Lease) -> Held:
    return lease.device_id, lease.token


class LeaseKeeper:
    def __init__(self, store: Leases) -> None:
        self.store = store
        # (device, token) -> (lease, when its last successful renewal was asked for)
        self._held: dict[Held, tuple[Lease, float]] = {}
        self._lost: dict[Held, str] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    def hold(self, lease: Lease) -> None:
        with self._lock:
            self._held[_held(lease)] = (lease, lease.granted or time.monotonic())
        if self.store.ttl and self._thread is None:
            self._thread = background(self._beat, name="lease-heartbeat")
            self._thread.start()

    def drop(self, lease: Lease) -> None:
        with self._lock:
            self._held.pop(_held(lease), None)
            self._lost.pop(_held(lease), None)

    def guard(self, lease: Lease, operation: str) -> None:
        """Raise LeaseLost unless `lease` is still this process's (fencing)."""
        why = self._lost.get(_held(lease))
        if why is None:
            try:
                current = self.store.holder(lease.device_id)
                if current is None or current.token != lease.token:
                    taken = f"{current.holder} holds it now" if current else "it expired"
                    why = f"the lease (token {lease.token}) is no longer ours: {taken}"
            except LabError as exc:
                renewed = self._held.get(_held(lease), (lease, time.monotonic()))[1]
                ttl = self.store.ttl or 0.0
                if ttl and time.monotonic() - renewed > ttl:
                    why = f"not renewed for over its {ttl:g} s TTL ({exc.message})"
        if why:
            raise LeaseLost(
                f"{lease.device_id}: {operation}: refused, {why}",
                hint="another run may be using the device; this test stopped before acting",
            )

    def stop(self) -> None:
        """End the heartbeat (a keeper of one checkout, done with its lease)."""
        self._stopped.set()

    def _beat(self) -> None:
        period = (self.store.ttl or 15.0) / 3
        while not self._stopped.wait(period):
            self.renew_all()

    def renew_all(self) -> None:
        """One heartbeat: renew every held lease; one the store no longer has is lost."""
        with self._lock:
            held = list(self._held.values())
        for lease, _ in held:
            # the lease runs its TTL from when the store renewed it, which is after we
            # asked: taking the time before asking never credits a slow answer's delay
            asked = time.monotonic()
            try:
                mine = self.store.renew(lease)
            except LabError:
                continue  # the store is away: the TTL check in guard decides
            with self._lock:
                if _held(lease) not in self._held:
                    continue
                if mine:
                    self._held[_held(lease)] = (lease, asked)
                else:
                    self._lost[_held(lease)] = "its lease expired or was taken over"
