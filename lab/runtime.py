"""Where running virtual devices announce themselves to the rest of the lab.

`lab sim up` writes one JSON record per device (pid, serial, console path) under the
runtime directory; the harness reads them to find a virtual device's console. This file is
the whole contract between the two, so the harness never needs to import `lab.sim`.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import psutil


def runtime_dir() -> Path:
    """`$LAB_RUNTIME_DIR`, else a per-user folder under the system temp dir."""
    base = os.environ.get("LAB_RUNTIME_DIR")
    path = Path(base) if base else Path(tempfile.gettempdir()) / f"tos-lab-{os.getuid()}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sim_dir() -> Path:
    path = runtime_dir() / "sim"
    path.mkdir(parents=True, exist_ok=True)
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
