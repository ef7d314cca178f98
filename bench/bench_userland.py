"""The device's real userland against the small Python shell it replaced, in one run: a
phone of each, started side by side (the old one from a git worktree of the last commit
before the change), measured turn about.

Rows: the shell round trip through the raw host protocol and through the adb CLI, a
framework command (getprop: a tosbox client reaching the system server) and the harness's
`dut.ui` (unchanged by the userland: a control).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bench_sim import _host_shell
from bench.farm import ADB, restore_runtime
from bench.stats import ms, timed
from lab.farm.checkout import checkout
from lab.inventory import load_inventory

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "31617a5"  # the last commit with lab/sim/sh, the Python shell
PHONE = """devices:
  - id: u-phone
    class: phone
    model: Bench
    platform: TOS+ 1.2
    virtual: true
    adb: {{serial: "127.0.0.1:{port}"}}
    display: {{width: 1080, height: 2340, density: 440}}
    capabilities: [touch]
"""


class _Phone:
    def __init__(self, port: int, code: Path) -> None:
        folder = Path(tempfile.mkdtemp(prefix="bench-userland-"))
        self.serial = f"127.0.0.1:{port}"
        self.inventory = folder / "phone.yaml"
        self.inventory.write_text(PHONE.format(port=port))
        self.env = {
            **os.environ,
            "LAB_RUNTIME_DIR": str(folder / "runtime"),
            "PYTHONPATH": str(code),  # this tree's `lab` package runs the device
        }

    def lab(self, *args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-c", "import lab.cli; lab.cli.main()", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            cwd=self.env["PYTHONPATH"],
        )
        if done.returncode != 0:
            raise subprocess.CalledProcessError(done.returncode, args, done.stdout, done.stderr)


def _worktree() -> Path:
    target = Path(tempfile.mkdtemp(prefix="bench-before-")) / "tree"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(target), BEFORE],
        check=True,
        capture_output=True,
    )
    return target


def run() -> list[tuple[str, str]]:
    before_tree = _worktree()
    before, after = _Phone(6740, before_tree), _Phone(6742, ROOT)
    rows: list[tuple[str, str]] = []
    try:
        for phone in (before, after):
            phone.lab("sim", "up", "--boot-seconds", "0", "--inventory", str(phone.inventory))
        results: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
        checks = {
            "raw": lambda s: _host_shell(s, "echo x"),
            "cli": lambda s: subprocess.run(
                [ADB, "-s", s, "shell", "echo x"], capture_output=True, check=True
            ),
            "getprop": lambda s: _host_shell(s, "getprop ro.product.model"),
        }
        for _ in range(3):  # turn about, so load on the machine falls on both alike
            for name, phone in (("before", before), ("after", after)):
                for check, action in checks.items():
                    count = 60 if check != "cli" else 15
                    samples = timed(lambda a=action, s=phone.serial: a(s), count, warmup=3)
                    results[name].setdefault(check, []).extend(samples)
        labels = {
            "raw": "shell round trip `echo x`, raw host protocol",
            "cli": "shell round trip `adb shell echo x`, adb CLI",
            "getprop": "`getprop ro.product.model` (a framework command), raw",
        }
        for check, label in labels.items():
            old, new = results["before"][check], results["after"][check]
            ratio = statistics.median(new) / statistics.median(old)
            rows.append(
                (f"{label}: Python sh / mksh+toybox", f"{ms(old)} / {ms(new)} = {ratio:.2f}x")
            )
        for name, phone in (("Python sh", before), ("mksh+toybox", after)):
            inventory = load_inventory(phone.inventory)
            before = os.environ.get("LAB_RUNTIME_DIR")
            os.environ["LAB_RUNTIME_DIR"] = phone.env["LAB_RUNTIME_DIR"]  # its console
            try:  # no health check: the old tree's device is measured as it is
                with checkout(inventory, "u-phone", purpose="bench userland", check=False) as dut:
                    dut.ui.info  # noqa: B018 - the agent up before timing
                    figure = ms(timed(lambda d=dut: d.ui.info, 40))
            finally:  # the next bench must not find this phone's folder as its own
                restore_runtime(before)
            rows.append((f"`dut.ui.info` on the {name} device", figure))
    finally:
        for phone in (before, after):
            with contextlib.suppress(subprocess.CalledProcessError):
                phone.lab("sim", "down", "--inventory", str(phone.inventory))
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before_tree)],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(before_tree.parent, ignore_errors=True)
    return rows
