"""Start, stop and list the virtual parts of the bench (`peripherals:` with
`virtual: true`), each a process of its own: started with the device it faces."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lab.errors import LabError
from lab.inventory import Inventory
from lab.runtime import same_process, sim_dir


@dataclass
class PartStatus:
    id: str
    kind: str
    faces: str
    port: str | None
    pid: int | None
    state: str  # running | stopped | dead


def parts_dir() -> Path:
    path = sim_dir() / "parts"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _record(part_id: str) -> dict | None:
    try:
        return json.loads((parts_dir() / f"{part_id}.json").read_text())
    except (OSError, ValueError):
        return None


def _alive(part_id: str) -> dict | None:
    record = _record(part_id)
    return record if record and same_process(record.get("identity")) else None


def up(
    inventory: Inventory,
    devices: list[str],
    timeout: float = 10.0,
    said: Callable[[str], None] | None = None,
) -> list[PartStatus]:
    """The virtual parts facing `devices`, started when down; `said` hears a line each."""
    tell = said or (lambda _line: None)
    folder = parts_dir()
    started = []
    for part in inventory.peripherals:
        if not part.virtual or part.faces not in devices:
            continue
        if _alive(part.id):
            tell(f"{part.id}: running already (beside {part.faces})")
            continue
        spec = {
            "id": part.id,
            "kind": part.kind,
            "faces": part.faces,
            "field": str(sim_dir() / part.faces / "nfc.sock"),
            "record": str(folder / f"{part.id}.json"),
        }
        (folder / f"{part.id}.json").unlink(missing_ok=True)
        spec_path = folder / f"{part.id}.spec"
        spec_path.write_text(json.dumps(spec))
        with open(folder / f"{part.id}.log", "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "lab.sim.peripherals.process", str(spec_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        started.append((part.id, process))
    deadline = time.monotonic() + timeout
    for part_id, process in started:
        while not _alive(part_id):
            if process.poll() is not None or time.monotonic() > deadline:
                raise LabError(
                    f"{part_id}: the virtual reader did not start",
                    hint=f"see {folder / (part_id + '.log')}",
                )
            time.sleep(0.05)
        tell(f"{part_id}: started")
    return status(inventory)


def down(inventory: Inventory | None, devices: list[str] | None = None) -> list[str]:
    """Stop the virtual parts (facing `devices`, or all) proven to be ours."""
    stopped = []
    for path in sorted(parts_dir().glob("*.json")):
        record = _record(path.stem) or {}
        if devices is not None and record.get("faces") not in devices:
            continue
        if inventory is not None and path.stem not in {p.id for p in inventory.peripherals}:
            continue
        identity = record.get("identity")
        if same_process(identity):
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(identity["pid"]), signal.SIGTERM)
            deadline = time.monotonic() + 5
            while same_process(identity) and time.monotonic() < deadline:
                time.sleep(0.05)
            if same_process(identity):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(identity["pid"]), signal.SIGKILL)
            stopped.append(path.stem)
        path.unlink(missing_ok=True)
    return stopped


def status(inventory: Inventory) -> list[PartStatus]:
    rows = []
    for part in inventory.peripherals:
        if not part.virtual:
            continue
        record = _alive(part.id)
        if record:
            rows.append(
                PartStatus(part.id, part.kind, part.faces, record["port"], record["pid"], "running")
            )
        else:
            state = "dead" if _record(part.id) else "stopped"
            rows.append(PartStatus(part.id, part.kind, part.faces, None, None, state))
    return rows
