"""The one place a device handle is made (pytest-embedded's DutFactory). `open_dut` gives
a bare handle, unleased: for looking (the dashboard's thumbnails, a build's fingerprint,
`lab device` with its warning). To act on a device, take it with lab.farm.checkout, which
leases, fences and checks it and builds the handle here."""

from __future__ import annotations

from pathlib import Path

from lab.device.adb import Fence
from lab.device.dut import Dut
from lab.device.screen import Goldens
from lab.inventory import Inventory
from lab.vision.goldens import GoldenStore


def default_goldens(inventory: Inventory) -> Goldens:
    """goldens/ beside the inventory, read and written there."""
    return Goldens(GoldenStore(inventory.base_dir / "goldens"))


def open_dut(
    inventory: Inventory,
    device_id: str,
    *,
    log_dir: Path,
    timeout: float = 30.0,
    goldens: Goldens | None = None,
    fence: Fence | None = None,
) -> Dut:
    """A handle on inventory device `device_id`. `goldens`: where its screen checks keep
    their goldens (default: goldens/ beside the inventory); `fence`: a lease's check before
    every operation (lab.farm.checkout passes its own)."""
    return Dut(
        inventory.device(device_id),
        inventory.farm,
        log_dir,
        goldens or default_goldens(inventory),
        timeout=timeout,
        fence=fence,
        parts=tuple(p for p in inventory.peripherals if p.faces == device_id),
    )
