"""The lab's pytest plugin (registered through the `pytest11` entry point).

It grows with the harness; today it knows where the inventory is and hands it to tests.
"""

from __future__ import annotations

import pytest

from lab.errors import LabError
from lab.inventory import DEFAULT_INVENTORY, Inventory, load_inventory


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tos-lab", "TOS+ Device Lab")
    group.addoption(
        "--inventory",
        default=str(DEFAULT_INVENTORY),
        help="device inventory YAML (default: %(default)s)",
    )


@pytest.fixture(scope="session")
def lab_inventory(pytestconfig: pytest.Config) -> Inventory:
    """The loaded inventory; a broken one fails the session with its located message."""
    try:
        return load_inventory(pytestconfig.getoption("--inventory"))
    except LabError as exc:
        pytest.exit(str(exc), returncode=2)
