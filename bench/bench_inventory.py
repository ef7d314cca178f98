"""Inventory loading and `lab devices`: what a user waits for before anything runs."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from bench.stats import ms, timed
from lab.inventory import load_inventory

ROOT = Path(__file__).resolve().parents[1]


def _big_inventory(count: int) -> Path:
    lines = ["devices:"]
    for n in range(count):
        lines += [
            f"  - id: board-{n}",
            "    class: tv",
            "    model: Bench TV",
            "    platform: TOS+ 1.2",
            f"    adb: {{serial: BOARD{n:05d}, server: 10.0.{n // 250}.{n % 250}:5037}}",
            f"    console: {{url: rfc2217://10.0.0.1:{4000 + n}}}",
            "    display: {width: 1920, height: 1080, density: 320}",
            "    capabilities: [dpad, voice, store]",
        ]
    path = Path(tempfile.mkdtemp()) / f"farm-{count}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def run() -> list[tuple[str, str]]:
    default = ROOT / "device_inventory.yaml"
    big = _big_inventory(1000)
    lab = str(Path(sys.executable).with_name("lab"))
    return [
        ("load device_inventory.yaml (4 devices)", ms(timed(lambda: load_inventory(default), 20))),
        ("load a 1,000-device inventory", ms(timed(lambda: load_inventory(big), 5))),
        (
            "`lab devices --json` wall time (4 devices, adb server up)",
            ms(
                timed(
                    lambda: subprocess.run(
                        [lab, "devices", "--json"], cwd=ROOT, capture_output=True, check=True
                    ),
                    5,
                )
            ),
        ),
    ]
