"""A run's outcome from the lab's own record (lab/plugin/record.py: each test's phases as
pytest reported them, with the device and the failure's category), never from the report
it also writes: the exit code CI gates on and the summary per device. Allure's files are
the report's business; a report that failed to write must not change a verdict."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from lab.errors import Category

STATUSES = ("passed", "failed", "broken", "skipped")
RECORD = "run-record.jsonl"  # in the report folder, beside allure-results

# `lab run`'s exit codes, documented in the README for CI
ALL_PASSED, FAILED, USAGE, NOTHING_RAN = 0, 1, 2, 3
INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


@dataclass
class TestOutcome:
    nodeid: str
    device: str = ""
    status: str = "skipped"  # passed | failed | broken | skipped, as Allure would say
    category: str = ""  # lab.errors.Category of a failed or broken test
    seconds: float = 0.0
    reached: bool = False  # an attempt of it ran its call on a device (a retry's too)
    last: str = ""  # the phase its last attempt reported last

    @property
    def ran(self) -> bool:
        """It reached a device: not skipped, and not stopped by a failed health check."""
        if self.reached or self.status in ("passed", "failed"):
            return True
        return self.status == "broken" and self.category != Category.DEVICE_UNAVAILABLE.value


@dataclass
class DeviceSummary:
    device: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def read_outcomes(record: Path) -> list[TestOutcome]:
    """One outcome per test (a test run again elsewhere counts once, as its last attempt
    ended), from the phases in `record`; [] when there is none. A test whose last attempt
    set up and said nothing more (pytest killed meanwhile) is broken, never skipped."""
    tests: dict[str, TestOutcome] = {}
    try:
        lines = record.read_text().splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut by a killed run: the others still count
        if "nodeid" not in entry:
            continue  # a collected test (--collect-only)
        test = tests.setdefault(entry["nodeid"], TestOutcome(entry["nodeid"]))
        if entry["when"] == "setup":  # a new attempt: what an earlier one said is over
            test.status, test.category, test.seconds = "skipped", "", 0.0
        test.reached = test.reached or entry["when"] == "call"
        test.last = entry["when"] if entry["outcome"] == "passed" else ""
        test.device = entry.get("device") or test.device
        test.seconds += float(entry.get("duration", 0.0))
        _apply(test, entry)
    for test in tests.values():
        if test.last == "setup":
            test.status, test.category = "broken", test.category or "ended without a result"
    return list(tests.values())


def _apply(test: TestOutcome, entry: dict) -> None:
    outcome, category = entry["outcome"], entry.get("category", "")
    if outcome == "failed":
        if test.status not in ("failed", "broken"):
            status = entry.get("status") or _status_of(entry["when"], category)
            test.status, test.category = status, category
    elif outcome == "passed" and entry["when"] == "call" and test.status == "skipped":
        test.status = "passed"


def _status_of(when: str, category: str) -> str:
    """A record written before it carried the status: "failed" for a call's failure of
    the product's kind, else "broken"."""
    try:
        failed = Category(category).statuses[0] == "failed"
    except ValueError:
        failed = False
    return "failed" if when == "call" and failed else "broken"


def exit_code(pytest_code: int, outcomes: list[TestOutcome]) -> int:
    """0 all passed; 1 tests failed or devices were unavailable; 2 a usage, inventory or
    collection error; 3 nothing could run (no test, or no device able to run one)."""
    if pytest_code in (2, 4):  # interrupted (collection errors included), usage error
        return USAGE
    if pytest_code == 5 or not any(test.ran for test in outcomes):
        return NOTHING_RAN
    failing = any(test.status in ("failed", "broken") for test in outcomes)
    return ALL_PASSED if pytest_code == 0 and not failing else FAILED


def summarize(outcomes: list[TestOutcome]) -> list[DeviceSummary]:
    by_device: dict[str, DeviceSummary] = {}
    for test in outcomes:
        device = test.device or "(no device)"
        summary = by_device.setdefault(device, DeviceSummary(device))
        summary.counts[test.status] += 1
        summary.seconds += test.seconds
    return sorted(by_device.values(), key=lambda s: s.device)
