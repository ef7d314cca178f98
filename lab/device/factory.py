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
    update_goldens: bool = False,
    changes_log: Path | None = None,
    attach: Callable[[str, np.ndarray], None] | None = None,
) -> Dut:
    """A handle on inventory device `device_id` (no lease: the caller holds one if needed).
    `goldens`: the golden screens folder (default fixtures/goldens under the inventory's
    folder); `attach`: where a failed screen check puts its images."""
    device = inventory.device(device_id)
    dut = Dut(device, inventory.farm, log_dir, timeout=timeout)
    folder = goldens or inventory.base_dir / "fixtures" / "goldens"
    dut.screen = ScreenChecks(
        dut,
        GoldenStore(folder),
        update=update_goldens,
        changes_log=changes_log,
        attach=attach,
    )
    return dut
