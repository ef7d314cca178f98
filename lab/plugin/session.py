"""What the plugin keeps for one pytest process: inventory, selection, leases, lost devices."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lab.errors import LabError
from lab.farm.leases import LeaseStore, holder_name, open_store
from lab.inventory import Device, Inventory, load_inventory

SESSION_KEY = pytest.StashKey["LabSession"]()


@dataclass
class LabSession:
    inventory: Inventory
    devices: list[Device]  # after --device / --device-class
    leases: LeaseStore
    report_dir: Path
    holder: str
    lease_timeout: float
    device_timeout: float
    lost: dict[str, str] = field(default_factory=dict)  # device id -> why


def lab_session(config: pytest.Config) -> LabSession:
    """Built on first use, so projects whose tests need no device never read an inventory."""
    if SESSION_KEY in config.stash:
        return config.stash[SESSION_KEY]
    try:
        inventory = load_inventory(config.getoption("--inventory"))
    except LabError as exc:
        raise pytest.UsageError(str(exc)) from None
    devices = inventory.select(
        device_class=config.getoption("--device-class"), ids=config.getoption("--device") or None
    )
    unknown = set(config.getoption("--device") or []) - {d.id for d in inventory.devices}
    if unknown:
        raise pytest.UsageError(f"--device {', '.join(sorted(unknown))}: not in {inventory.path}")
    given = config.getoption("--lab-report-dir")
    report_dir = Path(given).resolve() if given else inventory.resolve(inventory.farm.report_dir)
    worker = getattr(config, "workerinput", {}).get("workerid", "")
    session = LabSession(
        inventory=inventory,
        devices=devices,
        leases=open_store(inventory.farm.lease_store, inventory.base_dir),
        report_dir=report_dir,
        holder=holder_name(worker),
        lease_timeout=config.getoption("--lease-timeout"),
        device_timeout=config.getoption("--device-timeout"),
    )
    config.stash[SESSION_KEY] = session
    return session
