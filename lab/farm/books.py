"""A farm's books: the leases, each device's health, the runs' progress and the hosts that
export devices, each a small protocol, kept together by one store: `file:DIR` for one host
(flock; the kernel drops a dead process's lock) or `redis://host:port/db` for several
controllers on several hosts (TTLs kept alive by a heartbeat). `open_books` is the one
place that knows the stores; everything else asks for the part it needs."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from lab.errors import LabError
from lab.farm.health import HealthBook
from lab.farm.leases import Leases


class RunsBook(Protocol):
    """What `lab run` publishes of its progress (the dashboard shows it)."""

    def publish_run(self, run: dict) -> None: ...  # a run's progress (id, counts, state)
    def runs(self, limit: int = 10) -> list[dict]: ...  # the latest runs, newest first


class HostsBook(Protocol):
    """The hosts that export devices (`lab farm export`), alive while they renew."""

    def register_host(self, host: dict, ttl: float) -> None: ...
    def unregister_host(self, name: str) -> None: ...
    def hosts(self) -> list[dict]: ...  # exported hosts whose registration is alive


class Books(Leases, HealthBook, RunsBook, HostsBook, Protocol):
    """All of a farm's books, as one store keeps them."""


def open_books(url: str, root: Path) -> Books:
    """The books an inventory's `farm.lease_store` names (relative paths from `root`)."""
    if url.startswith("file:"):
        from lab.farm.file_store import FileLeaseStore

        folder = Path(url.removeprefix("file:"))
        return FileLeaseStore(folder if folder.is_absolute() else root / folder)
    if url.startswith(("redis://", "rediss://")):
        from lab.farm.redis_store import RedisLeaseStore

        return RedisLeaseStore(url, root=root)
    raise LabError(f"lease store {url!r}: expected file:DIR or redis://host:port/db")
