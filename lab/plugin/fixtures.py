"""The lab's plain fixtures (the device fixtures `dut` and `duts` are lab.plugin.devices,
the scenario helpers lab.plugin.scenarios)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.inventory import Inventory
from lab.plugin.artifacts import Attach
from lab.plugin.session import lab_session


@pytest.fixture(scope="session")
def lab_inventory(pytestconfig: pytest.Config) -> Inventory:
    """The loaded inventory."""
    return lab_session(pytestconfig).inventory


@pytest.fixture(scope="session")
def lab_report_dir(pytestconfig: pytest.Config) -> Path:
    """Where this run's lab output goes (figures a suite writes for benches and docs)."""
    return lab_session(pytestconfig).report_dir


@pytest.fixture
def attach() -> Attach:
    """Attach images, text or files to this test's report (kept whether it passes or not)."""
    return Attach()
