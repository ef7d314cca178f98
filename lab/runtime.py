"""Where running virtual devices announce themselves to the rest of the lab.

`lab sim up` writes one JSON record per device (pid, serial, console path) under the
runtime directory; the harness reads them to find a virtual device's console. This file is
the whole contract between the two, so the harness never needs to import `lab.sim`.

The runtime directory holds control sockets and device roots: it must be private to the
user (0700, owned by them). `$LAB_RUNTIME_DIR`, else `$XDG_RUNTIME_DIR/tos-lab`, else
`/tmp/tos-lab-UID`; one that is not private is refused rather than used.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import psutil

from lab.errors import LabError


def runtime_dir() -> Path:
    base = os.environ.get("LAB_RUNTIME_DIR")
    if base:
        path = Path(base)
    elif os.environ.get("XDG_RUNTIME_DIR"):
        path = Path(os.environ["XDG_RUNTIME_DIR"]) / "tos-lab"
    else:
        path = Path(tempfile.gettempdir()) / f"tos-lab-{os.getuid()}"
    return _private(path)


def _private(path: Path) -> Path:
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(path)
    except OSError as exc:
        raise LabError(
            f"cannot create the runtime directory {path}: {exc.strerror}",
            hint="set LAB_RUNTIME_DIR to a folder of yours",
        ) from None
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise LabError(f"the runtime directory {path} is not a directory (a symlink?)")
    if info.st_uid != os.getuid():
        raise LabError(
            f"the runtime directory {path} belongs to uid {info.st_uid}, not to you",
            hint="someone else made it first: set LAB_RUNTIME_DIR to a folder of yours",
        )
    if info.st_mode & 0o077:
        raise LabError(
            f"the runtime directory {path} is open to others (mode {stat.S_IMODE(info.st_mode):o})",
            hint=f"chmod 700 {path}, or set LAB_RUNTIME_DIR to a private folder",
        )
    return path


def sim_dir() -> Path:
    path = runtime_dir() / "sim"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def read_sim_records() -> dict[str, dict[str, Any]]:
    """Device id -> the record its running simulator wrote (stale ones included)."""
    records: dict[str, dict[str, Any]] = {}
    for file in sorted(sim_dir().glob("*.json")):
        try:
            record = json.loads(file.read_text())
        except (OSError, ValueError):
            continue  # a record being rewritten right now; the next read sees it
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            records[record["id"]] = record
    return records


def pid_alive(pid: int) -> bool:
    """True for a running process; a zombie (exited, not yet reaped: common when the
    parent `lab sim up` is gone and PID 1 does not reap) counts as dead."""
    if pid <= 0:
        return False
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True  # someone else's process: alive, just not ours to inspect


def process_identity(pid: int) -> dict[str, Any] | None:
    """What proves a pid is still the same process: its start time and command line."""
    try:
        process = psutil.Process(pid)
        return {"pid": pid, "create_time": process.create_time(), "cmdline": process.cmdline()}
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None


def same_process(identity: dict[str, Any] | None) -> bool:
    """True only when the pid still runs the process `identity` was taken from (a reused
    pid has another start time or command line)."""
    if not identity or not pid_alive(int(identity.get("pid", 0))):
        return False
    now = process_identity(int(identity["pid"]))
    return bool(
        now
        and abs(now["create_time"] - float(identity.get("create_time", -1))) < 0.01
        and now["cmdline"] == identity.get("cmdline")
    )


def read_part_record(part_id: str) -> dict[str, Any] | None:
    """The record a running virtual part of the bench (an NFC reader) wrote: its pty."""
    path = sim_dir() / "parts" / f"{part_id}.json"
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not same_process(record.get("identity")):
        return None
    return record


def resolve_port(url: str, owner: str, kind: str) -> str | None:
    """A serial line's URL as pyserial opens it. `url` as the inventory gives it, or for
    a virtual one (`pty`) the pty its running process announced: the console of device
    `owner` (kind "console") or the bench part `owner` (any other kind); None when that
    process is not up. The one place a `pty` turns into a port."""
    if url != "pty":
        return url
    if kind == "console":
        record = read_sim_records().get(owner)
        if not record or not pid_alive(int(record.get("pid", 0))):
            return None
        return str(record["console"]) if record.get("console") else None
    part = read_part_record(owner)
    return str(part["port"]) if part and part.get("port") else None
