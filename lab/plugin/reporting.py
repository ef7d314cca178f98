"""What the lab adds to the end of a run: the goldens recorded (--update-goldens) in the
terminal summary, and environment.properties with every selected device's build."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lab.device.factory import open_dut
from lab.errors import LabError
from lab.inventory import Device
from lab.plugin.session import SESSION_KEY, lab_session
from lab.report.environment import write_environment


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """With --update-goldens: what was recorded, for review before committing."""
    if not config.getoption("--update-goldens") or SESSION_KEY not in config.stash:
        return
    log = config.stash[SESSION_KEY].report_dir / "golden-changes.jsonl"
    if not log.exists():
        return
    terminalreporter.section("goldens recorded (review, then commit)")
    for line in log.read_text().splitlines():
        entry = json.loads(line)
        terminalreporter.write_line(f"{entry['status']:>9}  {entry['golden']}  ({entry['device']})")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On the controller: environment.properties with every selected device's fingerprint."""
    config = session.config
    results = config.getoption("--alluredir", None)
    if not results or hasattr(config, "workerinput"):
        return
    try:
        lab = lab_session(config)
    except pytest.UsageError:
        return

    def fingerprint(device: Device) -> str:
        # a handle to read a property, unleased: the run's tests may hold the device
        probe = open_dut(lab.inventory, device.id, log_dir=lab.report_dir / "logs", timeout=5)
        try:
            return probe.getprop("ro.build.fingerprint") or "unknown"
        except LabError:
            return "unreachable"

    # in parallel: an unreachable device costs its 5 s timeout once, not once per device
    with ThreadPoolExecutor(max_workers=max(1, min(16, len(lab.devices)))) as pool:
        found = pool.map(fingerprint, lab.devices)
        fingerprints = {device.id: value for device, value in zip(lab.devices, found, strict=True)}
    write_environment(Path(results), lab.inventory.path, fingerprints)
