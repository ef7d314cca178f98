"""Leases: a device serves one test process at a time.

The file store keeps one lock file per device (flock through `filelock`: the kernel drops
a lock when its process dies, so a crashed holder never blocks a device) plus a record
of the holder and a log of every acquire/release, from which overlaps can be checked.
A store for several controller hosts (Redis) implements the same protocol.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from filelock import FileLock, Timeout

from lab.errors import LabError
from lab.runtime import pid_alive


class LeaseTimeout(LabError):
    """No lease on the device in time: the farm is busy (lab infrastructure, not the test)."""


@dataclass(frozen=True)
class Lease:
    device_id: str
    holder: str
    pid: int
    since: float


class LeaseStore(Protocol):
    def acquire(self, device_id: str, holder: str, timeout: float) -> Lease: ...
    def release(self, lease: Lease) -> None: ...
    def holder(self, device_id: str) -> Lease | None: ...


def holder_name(worker: str = "") -> str:
    """host:pid[:xdist worker], what a lease records as its holder."""
    name = f"{socket.gethostname()}:{os.getpid()}"
    return f"{name}:{worker}" if worker else name


class FileLeaseStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.log_path = folder / "leases.jsonl"
        self._locks: dict[str, FileLock] = {}
        self._guard = threading.Lock()

    def _lock(self, device_id: str) -> FileLock:
        with self._guard:
            if device_id not in self._locks:
                # thread_local=False: one lease per process, whichever thread releases it
                self._locks[device_id] = FileLock(
                    self.folder / f"{device_id}.lock", thread_local=False
                )
            return self._locks[device_id]

    def acquire(self, device_id: str, holder: str, timeout: float) -> Lease:
        previous = self.holder(device_id)
        try:
            self._lock(device_id).acquire(timeout=timeout)
        except Timeout:
            current = self.holder(device_id)
            who = f"{current.holder} since {time.ctime(current.since)}" if current else "unknown"
            raise LeaseTimeout(
                f"{device_id}: no lease within {timeout:g} s (held by {who})",
                hint="wait for that run to end, or raise --lease-timeout",
            ) from None
        if previous and not pid_alive(previous.pid) and previous.holder != holder:
            self._log("reclaim", device_id, previous.holder)  # its process died holding it
        lease = Lease(device_id, holder, os.getpid(), time.time())
        self._record(device_id).write_text(json.dumps(asdict(lease)))
        self._log("acquire", device_id, holder)
        return lease

    def release(self, lease: Lease) -> None:
        self._log("release", lease.device_id, lease.holder)
        self._record(lease.device_id).unlink(missing_ok=True)
        self._lock(lease.device_id).release()

    def holder(self, device_id: str) -> Lease | None:
        try:
            return Lease(**json.loads(self._record(device_id).read_text()))
        except (OSError, ValueError, TypeError):
            return None

    def _record(self, device_id: str) -> Path:
        return self.folder / f"{device_id}.json"

    def _log(self, event: str, device_id: str, holder: str) -> None:
        line = (
            json.dumps({"t": time.time(), "event": event, "device": device_id, "holder": holder})
            + "\n"
        )
        with open(self.log_path, "a") as log:  # one write per line: appends do not interleave
            log.write(line)


def open_store(url: str, root: Path) -> LeaseStore:
    """The store an inventory's `farm.lease_store` names (relative paths from `root`)."""
    if url.startswith("file:"):
        folder = Path(url.removeprefix("file:"))
        return FileLeaseStore(folder if folder.is_absolute() else root / folder)
    raise LabError(
        f"lease store {url!r} is not available in this version",
        hint="use file:DIR; the Redis store for several controllers comes next",
    )


def overlaps(log_path: Path) -> list[str]:
    """Pairs of holders that held one device at the same time, read from a lease log."""
    held: dict[str, str] = {}
    problems = []
    for line in log_path.read_text().splitlines():
        entry = json.loads(line)
        device, holder = entry["device"], entry["holder"]
        if entry["event"] == "acquire":
            if device in held:
                problems.append(f"{device}: {holder} acquired while {held[device]} held it")
            held[device] = holder
        elif entry["event"] == "release" and held.get(device) == holder:
            del held[device]
    return problems
