"""One lab run: pytest (with xdist when -n > 1) writing the lab's record of it, Allure
results and JUnit XML."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psutil

from lab.run.outcome import RECORD


@dataclass(frozen=True)
class RunPlan:
    paths: tuple[str, ...]
    inventory: str
    report_dir: Path
    workers: int = 1
    device_class: str | None = None
    devices: tuple[str, ...] = ()
    keyword: str | None = None
    test_timeout: float = 300.0
    extra: tuple[str, ...] = ()
    run_id: str = ""  # its progress is published under this id (the dashboard)
    record_path: Path | None = None  # the run's own record (default: in report_dir)

    @property
    def results(self) -> Path:
        return self.report_dir / "allure-results"

    @property
    def record(self) -> Path:
        """Each test's phases, device and category (lab/plugin/record.py): the run's
        outcome is read from here (lab.run.outcome), not from the report."""
        return self.record_path or self.report_dir / RECORD

    @property
    def junit(self) -> Path:
        return self.report_dir / "junit.xml"

    def pytest_args(self) -> list[str]:
        args = [
            sys.executable,
            "-m",
            "pytest",
            *self.paths,
            "--inventory",
            self.inventory,
            "--lab-report-dir",
            str(self.report_dir),
            "--alluredir",
            str(self.results),
            "--clean-alluredir",
            "--junitxml",
            str(self.junit),
            "--lab-record",
            str(self.record),
            "--timeout",
            str(self.test_timeout),  # rule 3: no test hangs the run
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",  # a project's own addopts could fight the lab's (reports, workers)
            "--strict-markers",  # ... so this one is given here: a misspelt marker is an error
            "-ra",
        ]
        if self.workers > 1:
            args += ["-n", str(self.workers), "--dist", "loadgroup"]
        if self.device_class:
            args += ["--device-class", self.device_class]
        for device in self.devices:
            args += ["--device", device]
        if self.keyword:
            args += ["-k", self.keyword]
        if self.run_id:
            args += ["--lab-run-id", self.run_id]
        return args + list(self.extra)


class Interrupted(Exception):
    """Ctrl-C stopped the run: pytest was let finish what it writes of an interrupted run
    (the results so far, JUnit) before this is raised."""

    def __init__(self, pytest_code: int | None) -> None:
        super().__init__("interrupted")
        self.pytest_code = pytest_code


def run_pytest(plan: RunPlan, cwd: Path) -> int:
    """pytest's exit code (0 all passed, 1 some failed, 5 nothing collected, ...).

    pytest prints its own progress to the terminal as the run goes. It shares the lab's
    process group, so a signal to the group (a terminal's Ctrl-C, a CI job cancelled)
    reaches the whole run at once. On a Ctrl-C pytest stops and writes what it has: this
    waits for that (a second Ctrl-C stops it at once), stops whatever is left of the run
    (xdist workers still tearing down) and raises Interrupted. subprocess.run would kill
    pytest a quarter of a second after the first, before its results were written."""
    plan.report_dir.mkdir(parents=True, exist_ok=True)
    # old results must not pass for this run's if pytest stops before writing any
    shutil.rmtree(plan.results, ignore_errors=True)
    plan.junit.unlink(missing_ok=True)
    plan.record.unlink(missing_ok=True)  # the outcome is read from it: never a stale one
    # nor may the last run's HTML report pass for this one's (kept: history.jsonl, trends)
    shutil.rmtree(plan.report_dir / "allure-report", ignore_errors=True)
    process = subprocess.Popen(plan.pytest_args(), cwd=cwd)
    try:
        return process.wait()
    except KeyboardInterrupt:
        run = _descendants(process.pid)
        try:
            code = process.wait(timeout=120)
        except (KeyboardInterrupt, subprocess.TimeoutExpired):
            process.kill()
            code = process.wait()
        for left in run:  # workers the ended controller left behind
            with contextlib.suppress(psutil.Error):
                left.kill()
        raise Interrupted(code) from None


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []
