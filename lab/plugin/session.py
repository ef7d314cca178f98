"""What the plugin keeps for one pytest process: inventory, selection, the farm's books,
the lease keeper, devices' readiness."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lab.errors import LabError
from lab.farm.books import Books, open_books
from lab.farm.keeper import LeaseKeeper
from lab.farm.leases import holder_name
from lab.farm.readiness import Readiness
from lab.farm.remote import with_exported
from lab.inventory import Device, Inventory, load_inventory
from lab.plugin.watchdog import Watchdog

SESSION_KEY = pytest.StashKey["LabSession"]()


@dataclass
class LabSession:
    inventory: Inventory
    devices: list[Device]  # after --device / --device-class
    leases: Books
    report_dir: Path
    holder: str
    lease_timeout: float
    device_timeout: float
    recovery_timeout: float = 60.0  # how long a device lost mid-run is waited for
    last_device: str = ""  # the pool device this process took last (it is tried first)
    keeper: LeaseKeeper = field(init=False)  # heartbeats and fencing for this process's leases
    readiness: Readiness = field(init=False)  # health checks kept, devices lost mid-run
    watchdog: Watchdog = field(default_factory=Watchdog)  # notices remote devices vanish

    def __post_init__(self) -> None:
        self.keeper = LeaseKeeper(self.leases)
        self.readiness = Readiness(
            self.leases, self.holder, self.device_timeout, self.recovery_timeout, streams={}
        )


def _skipped(why: str) -> None:
    warnings.warn(f"an exported device was left out: {why}", stacklevel=2)


def lab_session(config: pytest.Config) -> LabSession:
    """Built on first use, so projects whose tests need no device never read an inventory."""
    if SESSION_KEY in config.stash:
        return config.stash[SESSION_KEY]
    try:
        inventory = load_inventory(config.getoption("--inventory"))
        leases = open_books(inventory.farm.lease_store, inventory.base_dir)
        # devices other hosts export; one that cannot join is a warning in pytest's summary
        inventory = with_exported(
            inventory, leases, said=lambda why: warnings.warn(why, stacklevel=1)
        )
    except LabError as exc:
        raise pytest.UsageError(str(exc)) from None
    devices = inventory.select(
        device_class=config.getoption("--device-class"), ids=config.getoption("--device") or None
    )
    unknown = set(config.getoption("--device") or []) - {d.id for d in inventory.devices}
    if unknown:
        raise pytest.UsageError(f"--device {', '.join(sorted(unknown))}: not in {inventory.path}")
    test_timeout = float(config.getoption("timeout", None) or 0)  # pytest-timeout's
    lease_timeout = config.getoption("--lease-timeout")
    if lease_timeout is None:  # a lease wait that ends first shows as a lease timeout
        lease_timeout = min(600.0, test_timeout / 2) if test_timeout else 600.0
    elif test_timeout and lease_timeout >= test_timeout:
        raise pytest.UsageError(
            f"--lease-timeout {lease_timeout:g} must be shorter than the test timeout "
            f"({test_timeout:g} s), or a busy device would show as a test timeout"
        )
    recovery = min(60.0, test_timeout * 0.3) if test_timeout else 60.0
    given = config.getoption("--lab-report-dir")
    report_dir = Path(given).resolve() if given else inventory.resolve(inventory.farm.report_dir)
    worker = getattr(config, "workerinput", {}).get("workerid", "")
    session = LabSession(
        inventory=inventory,
        devices=devices,
        leases=leases,
        report_dir=report_dir,
        holder=holder_name(worker),
        lease_timeout=lease_timeout,
        device_timeout=config.getoption("--device-timeout"),
        recovery_timeout=recovery,
    )
    config.stash[SESSION_KEY] = session
    return session
