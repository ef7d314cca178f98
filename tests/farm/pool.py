"""A pool of four identical watches beside the test farm (its own inventory and ports, the
same runtime folder), and a `lab run --shard` of the I/O-bound suite on it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.virtual_farm import BASE, Farm

ROOT = Path(__file__).resolve().parents[2]
IO_SUITE = ROOT / "bench" / "io_suite"
IDS = ["p-1", "p-2", "p-3", "p-4"]
PORTS = {device: BASE + 16 + 2 * n for n, device in enumerate(IDS)}


def watch(device_id: str, port: int, capabilities: str) -> str:
    """One virtual TOS Watch W1 as an inventory entry (under `devices:`)."""
    return f"""  - id: {device_id}
    class: watch
    model: TOS Watch W1
    platform: TOS+ 1.2
    virtual: true
    adb: {{serial: "127.0.0.1:{port}"}}
    console: {{url: pty}}
    display: {{width: 454, height: 454, density: 320, shape: round}}
    capabilities: [{capabilities}]
"""


def pool_inventory(folder: Path, store: str) -> Path:
    inventory = folder / "pool.yaml"
    text = f"farm:\n  lease_store: {store!r}\ndevices:\n"
    inventory.write_text(
        text + "".join(watch(i, p, "touch, round_display, console") for i, p in PORTS.items())
    )
    return inventory


def run_pool(
    pool: Farm, reports: Path, tests: int = 12, workers: int = 2, popen: bool = False
) -> subprocess.CompletedProcess | subprocess.Popen:
    args = [
        "run", str(IO_SUITE), "--inventory", str(pool.inventory), "--report-dir", str(reports),
        "-n", str(workers), "--no-sim", "--pytest-arg=--shard", "--test-timeout", "120",
    ]  # fmt: skip
    env = {**pool.env, "IO_TESTS": str(tests)}
    if popen:
        from tests.virtual_farm import LAB

        return subprocess.Popen(
            [LAB, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,  # a whole controller (lab run, pytest, workers) to kill
        )  # fmt: skip
    return Farm(pool.inventory, env).lab(*args, check=False, timeout=600)
