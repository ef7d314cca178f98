"""The one-host lease store (the default): a lock file per device (flock through
`filelock`: the kernel drops a lock when its process dies, so a crashed holder never blocks
a device), a record of the holder, a fencing-token counter per device, health records, and
a log of every lease event."""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import asdict
from pathlib import Path

from filelock import FileLock, Timeout

from lab.farm.health import Health, HealthRecord, transition
from lab.farm.leases import Lease, LeaseTimeout
from lab.runtime import pid_alive


class FileLeaseStore:
    ttl: float | None = None  # a lease lives as long as its process

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "health").mkdir(exist_ok=True)
        self.log_path = folder / "leases.jsonl"
        self._locks: dict[str, FileLock] = {}
        self._guard = threading.Lock()
        self._health_lock = FileLock(folder / "health.lock")

    def _lock(self, device_id: str) -> FileLock:
        with self._guard:
            if device_id not in self._locks:
                # thread_local=False: one lease per process, whichever thread releases it
                self._locks[device_id] = FileLock(
                    self.folder / f"{device_id}.lock", thread_local=False
                )
            return self._locks[device_id]

    # -- leases
    def acquire(self, device_id: str, holder: str, timeout: float, purpose: str = "") -> Lease:
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
        counter = self.folder / f"{device_id}.token"  # written only under the device's lock
        token = int(counter.read_text() or 0) + 1 if counter.exists() else 1
        _write(counter, str(token))
        lease = Lease(device_id, holder, os.getpid(), time.time(), token, purpose)
        _write(self._record(device_id), json.dumps(asdict(lease)))
        self._log("acquire", device_id, holder, token)
        return lease

    def release(self, lease: Lease) -> None:
        if not self.renew(lease):
            return  # a stale lease (a later one holds the device): nothing of it is left
        self._log("release", lease.device_id, lease.holder, lease.token)
        self._record(lease.device_id).unlink(missing_ok=True)
        self._lock(lease.device_id).release()

    def holder(self, device_id: str) -> Lease | None:
        try:
            return Lease(**json.loads(self._record(device_id).read_text()))
        except (OSError, ValueError, TypeError):
            return None

    def renew(self, lease: Lease) -> bool:
        current = self.holder(lease.device_id)
        return current is not None and current.token == lease.token

    def events(self) -> list[dict]:
        if not self.log_path.exists():
            return []
        return [json.loads(line) for line in self.log_path.read_text().splitlines()]

    def _record(self, device_id: str) -> Path:
        return self.folder / f"{device_id}.json"

    def _log(self, event: str, device_id: str, holder: str, token: int = 0) -> None:
        entry = {"t": time.time(), "event": event, "device": device_id, "holder": holder}
        with open(self.log_path, "a") as log:  # one write per line: appends do not interleave
            log.write(json.dumps({**entry, "token": token}) + "\n")

    # -- runs
    def publish_run(self, run: dict) -> None:
        folder = self.folder / "runs"
        folder.mkdir(exist_ok=True)
        _write(folder / f"{_safe(run['id'])}.json", json.dumps(run))

    def runs(self, limit: int = 10) -> list[dict]:
        found = []
        for path in (self.folder / "runs").glob("*.json"):
            try:
                found.append(json.loads(path.read_text()))
            except (OSError, ValueError):
                continue  # being replaced right now
        return sorted(found, key=lambda r: r.get("started", 0), reverse=True)[:limit]

    # -- exported hosts (one host's store: for a farm host on the same machine)
    def register_host(self, host: dict, ttl: float) -> None:
        folder = self.folder / "hosts"
        folder.mkdir(exist_ok=True)
        _write(folder / f"{_safe(host['name'])}.json",
               json.dumps({**host, "expires": time.time() + ttl}))  # fmt: skip

    def unregister_host(self, name: str) -> None:
        (self.folder / "hosts" / f"{_safe(name)}.json").unlink(missing_ok=True)

    def hosts(self) -> list[dict]:
        found = []
        for path in sorted((self.folder / "hosts").glob("*.json")):
            try:
                host = json.loads(path.read_text())
            except (OSError, ValueError) as exc:  # said by remote.py, never silently gone
                found.append({"name": path.stem, "unreadable": type(exc).__name__})
                continue
            if not isinstance(host, dict):
                found.append({"name": path.stem, "unreadable": "not an object"})
            elif host.get("expires", 0) > time.time():
                found.append(host)
        return found

    # -- health
    def health(self, device_id: str) -> HealthRecord:
        try:
            return HealthRecord.from_json(json.loads(self._health(device_id).read_text()))
        except (OSError, ValueError, TypeError, KeyError):
            return HealthRecord(device_id, at=0.0)

    def set_health(self, record: HealthRecord) -> None:
        with self._health_lock:
            self._store_health(record)

    def mark(
        self, device_id: str, state: Health, why: str, by: str, checked: bool = False
    ) -> HealthRecord:
        with self._health_lock:  # read and write under one lock: a release is not lost
            current = self.health(device_id)
            after = transition(current, state, why, by, checked)
            if after is None:
                return current
            if after.state is current.state:
                _write(self._health(device_id), json.dumps(after.as_json()))
            else:
                self._store_health(after)
            return after

    def health_history(self, device_id: str, limit: int = 20) -> list[HealthRecord]:
        path = self.folder / "health" / f"{device_id}.jsonl"
        if not path.exists():
            return []
        lines = path.read_text().splitlines()[-limit:]
        return [HealthRecord.from_json(json.loads(line)) for line in lines]

    def _store_health(self, record: HealthRecord) -> None:
        _write(self._health(record.device_id), json.dumps(record.as_json()))
        with open(self.folder / "health" / f"{record.device_id}.jsonl", "a") as log:
            log.write(json.dumps(record.as_json()) + "\n")

    def _health(self, device_id: str) -> Path:
        return self.folder / "health" / f"{device_id}.json"


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def _write(path: Path, text: str) -> None:
    """Whole or not at all: a reader never sees half a record."""
    partial = path.with_suffix(f"{path.suffix}.{os.getpid()}.{threading.get_ident()}.tmp")
    partial.write_text(text)
    os.replace(partial, path)
