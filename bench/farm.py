"""A bench farm: one virtual device per class on its own ports and runtime folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import adbutils

LAB = str(Path(sys.executable).with_name("lab"))
ADB = str(Path(adbutils.__file__).parent / "binaries" / "adb")
SERIALS = {
    "watch": "127.0.0.1:6720",
    "tv": "127.0.0.1:6722",
    "headset": "127.0.0.1:6724",
    "phone": "127.0.0.1:6726",
}
_DISPLAYS = {
    "watch": "{width: 454, height: 454, density: 320, shape: round}",
    "tv": "{width: 1920, height: 1080, density: 320}",
    "headset": "{width: 2880, height: 1600, density: 560, shape: stereo}",
    "phone": "{width: 1080, height: 2340, density: 440}",
}
_CAPS = {
    "watch": "[touch, round_display, battery]",
    "tv": "[dpad]",
    "headset": "[dpad, stereo_display]",
    "phone": "[touch, battery]",
}


class BenchFarm:
    def __init__(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="bench-farm-"))
        self.inventory = folder / "farm.yaml"
        lines = ["devices:"]
        for kind, serial in SERIALS.items():
            lines += [
                f"  - id: b-{kind}",
                f"    class: {kind}",
                "    model: Bench",
                "    platform: TOS+ 1.2",
                "    virtual: true",
                f'    adb: {{serial: "{serial}"}}',
                "    console: {url: pty}",
                f"    display: {_DISPLAYS[kind]}",
                f"    capabilities: {_CAPS[kind]}",
            ]
        self.inventory.write_text("\n".join(lines) + "\n")
        self.env = {**os.environ, "LAB_RUNTIME_DIR": str(folder / "runtime")}

    def lab(self, *args: str) -> float:
        started = time.perf_counter()
        subprocess.run(
            [LAB, *args, "--inventory", str(self.inventory)],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        return time.perf_counter() - started

    def up(self, *only: str, boot_seconds: float = 0.0) -> float:
        """Start the devices; until down(), this process's lab finds them (its runtime
        folder is theirs: a checkout opens their consoles)."""
        args = [a for device in only for a in ("--only", f"b-{device}")]
        self._before = os.environ.get("LAB_RUNTIME_DIR")
        os.environ["LAB_RUNTIME_DIR"] = self.env["LAB_RUNTIME_DIR"]
        return self.lab("sim", "up", "--boot-seconds", str(boot_seconds), *args)

    def down(self) -> None:
        try:
            self.lab("sim", "down")
        finally:
            restore_runtime(getattr(self, "_before", None))

    def device(self, kind: str) -> adbutils.AdbDevice:
        return adbutils.AdbClient(socket_timeout=30).device(SERIALS[kind])


@contextmanager
def service_farm(inventory_text: str, prefix: str) -> Iterator[tuple[Path, Path]]:
    """An inventory of devices and services, all started (services first), stopped after;
    (inventory path, its folder). LAB_RUNTIME_DIR points at the farm's runtime meanwhile,
    so the lab's clients find the admin keys and readers there."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    inventory = folder / "farm.yaml"
    inventory.write_text(inventory_text)
    env = {**os.environ, "LAB_RUNTIME_DIR": str(folder / "runtime")}
    before = os.environ.get("LAB_RUNTIME_DIR")
    os.environ["LAB_RUNTIME_DIR"] = env["LAB_RUNTIME_DIR"]

    def lab(*args: str) -> None:
        subprocess.run([LAB, *args, "--inventory", str(inventory)], env=env, check=True,
                       capture_output=True, timeout=300)  # fmt: skip

    lab("services", "up")
    try:
        lab("sim", "up", "--boot-seconds", "0")
        try:
            yield inventory, folder
        finally:
            lab("sim", "down")
    finally:
        lab("services", "down")
        restore_runtime(before)


def restore_runtime(runtime: str | None) -> None:
    """LAB_RUNTIME_DIR back to what it was before a farm set it."""
    if runtime is None:
        os.environ.pop("LAB_RUNTIME_DIR", None)
    else:
        os.environ["LAB_RUNTIME_DIR"] = runtime
