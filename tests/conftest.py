"""The project's own tests: one farm of virtual devices for the whole session, started on
first use (tests that need none never start it)."""

from __future__ import annotations

import pytest

from tests.farm import Farm, start_farm


@pytest.fixture(scope="session")
def farm(tmp_path_factory: pytest.TempPathFactory):
    started: Farm = start_farm(tmp_path_factory)
    yield started
    started.lab("sim", "down", "--inventory", str(started.inventory), check=False)
