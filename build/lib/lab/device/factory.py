"""One way to open a device handle, in pytest or outside it (pytest-embedded's
DutFactory): the fixtures, the health check and the CLI all call `open_dut`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from lab.device.dut import Dut
from lab.device.screen import ScreenChecks
from lab.inventory import Inventory
from lab.vision.goldens import GoldenStore


def open_dut(
    inventory: Inventory,
    device_id: str,
    *,
    log_dir: Path,
    timeout: float = 30.0,
    goldens: Path | None = None,
    golden_fallbacks: tuple[Path, ...] = (),
    update_goldens: bool = False,
    changes_log: Path | None = None,
    attach: Callable[[str, np.ndarray], None] | None = None,
) -> Dut:
    """A handle on inventory device `device_id` (no lease: the caller holds one if needed).
    `goldens`: the golden screens folder goldens are recorded in (default: goldens/ beside
    the inventory), `golden_fallbacks` where else they are read from (the TOS+ kit's);
    `attach`: where a failed screen check puts its images."""
    device = inventory.device(device_id)
    dut = Dut(device, inventory.farm, log_dir, timeout=timeout)
    folder = goldens or inventory.base_dir / "goldens"
    dut.screen = ScreenChecks(
        dut,
        GoldenStore(folder, golden_fallbacks),
        update=update_goldens,
        changes_log=changes_log,
        attach=attach,
    )
    return dut
