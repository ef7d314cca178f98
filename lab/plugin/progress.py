"""A run's progress in the farm's store, for the dashboard (`lab farm serve`). `lab run`
names the run (--lab-run-id); the controlling pytest process counts outcomes as reports
come in (xdist forwards every worker's) and publishes at most every PERIOD seconds, and
once more at the end. A store that cannot be written costs a warning, never the run."""

from __future__ import annotations

import os
import socket
import time
import warnings

import pytest

from lab.errors import LabError
from lab.farm.books import RunsBook

PERIOD = 0.5


class RunProgress:
    def __init__(self, store: RunsBook, run_id: str, paths: list[str]) -> None:
        self.store = store
        self.run: dict = {
            "id": run_id, "host": socket.gethostname(), "pid": os.getpid(),
            "paths": paths, "started": time.time(), "state": "collecting", "total": 0,
            "done": 0, "passed": 0, "failed": 0, "skipped": 0, "rerun": 0, "ended": None,
        }  # fmt: skip
        self._published = 0.0
        self._warned = False
        self.publish(force=True)

    def publish(self, force: bool = False) -> None:
        if not force and time.monotonic() - self._published < PERIOD:
            return
        self._published = time.monotonic()
        try:
            self.store.publish_run(dict(self.run))
        except LabError as exc:
            if not self._warned:
                warnings.warn(f"run progress not published: {exc.message}", stacklevel=1)
                self._warned = True

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if not session.config.pluginmanager.has_plugin("dsession"):  # without xdist
            self._collected(len(session.items))

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids: list[str]) -> None:
        self._collected(len(ids))  # every worker collects the same tests

    def _collected(self, total: int) -> None:
        self.run.update(total=total, state="running")
        self.publish(force=True)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        outcome = report.outcome
        if outcome == "rerun":
            self.run["rerun"] += 1
        elif report.when == "call" or (report.when == "setup" and outcome != "passed"):
            self.run["done"] += 1
            self.run[outcome] = self.run.get(outcome, 0) + 1
        self.publish()

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.run.update(state="finished", ended=time.time(), exit=int(exitstatus))
        self.publish(force=True)
