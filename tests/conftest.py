"""The project's own tests: one farm of virtual devices for the whole session, started on
first use (tests that need none never start it)."""

from __future__ import annotations

import pytest

from tests import fidelity
from tests.farm import Farm, start_farm


@pytest.fixture(scope="session")
def farm(tmp_path_factory: pytest.TempPathFactory):
    started: Farm = start_farm(tmp_path_factory)
    yield started
    started.lab("sim", "down", "--inventory", str(started.inventory), check=False)


_is_worker = False


def pytest_configure(config: pytest.Config) -> None:
    global _is_worker
    fidelity.register_markers(config)
    _is_worker = hasattr(config, "workerinput")  # an xdist worker: its controller counts


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not _is_worker:
        fidelity.count(report)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        fidelity.summarise(terminalreporter)
