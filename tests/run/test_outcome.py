"""A run's outcome read from the lab's own record: the exit code CI gates on and the
summary per device, whatever the Allure results say (or whether they were written)."""

from __future__ import annotations

import json
from pathlib import Path

from lab.run.outcome import (
    ALL_PASSED,
    FAILED,
    NOTHING_RAN,
    USAGE,
    exit_code,
    read_outcomes,
    summarize,
)


def _record(tmp_path: Path, *entries: tuple) -> Path:
    path = tmp_path / "run-record.jsonl"
    lines = [json.dumps({"collected": "t.py::a", "module": "t.py"})]  # collect-only lines
    for nodeid, when, outcome, device, category in entries:
        entry = {"nodeid": nodeid, "when": when, "outcome": outcome, "duration": 0.5}
        lines.append(json.dumps({**entry, "device": device, "category": category}))
    path.write_text("\n".join(lines) + "\n{cut by a kill")  # a last line cut short is skipped
    return path


def _passed(nodeid: str, device: str) -> list[tuple]:
    return [(nodeid, w, "passed", device, "") for w in ("setup", "call", "teardown")]


def test_all_passed_is_0_and_a_product_failure_is_1(tmp_path):
    record = _record(tmp_path, *_passed("t.py::a[w]", "w"), *_passed("t.py::b[w]", "w"))
    assert exit_code(0, read_outcomes(record)) == ALL_PASSED
    failing = _record(
        tmp_path,
        *_passed("t.py::a[w]", "w"),
        ("t.py::b[w]", "setup", "passed", "w", ""),
        ("t.py::b[w]", "call", "failed", "w", "Product defect"),
    )
    outcomes = {o.nodeid: o for o in read_outcomes(failing)}
    assert outcomes["t.py::b[w]"].status == "failed"
    assert exit_code(1, list(outcomes.values())) == FAILED


def test_only_unavailable_devices_is_nothing_ran(tmp_path):
    record = _record(
        tmp_path,
        ("t.py::a[w]", "setup", "failed", "w", "Device unavailable"),
        ("t.py::b[w]", "setup", "skipped", "w", ""),
    )
    outcomes = read_outcomes(record)
    assert [o.status for o in outcomes] == ["broken", "skipped"]
    assert exit_code(1, outcomes) == NOTHING_RAN
    assert exit_code(5, []) == NOTHING_RAN
    assert exit_code(4, outcomes) == USAGE


def test_a_test_run_again_elsewhere_counts_once_as_its_last_run_ended(tmp_path):
    record = _record(
        tmp_path,
        ("t.py::a[w1]", "setup", "passed", "w1", ""),
        ("t.py::a[w1]", "call", "failed", "w1", "Device lost"),
        *_passed("t.py::a[w1]", "w2"),  # the retry on another watch
    )
    (outcome,) = read_outcomes(record)
    assert (outcome.status, outcome.device) == ("passed", "w2")
    (row,) = summarize([outcome])
    assert row.device == "w2" and row.counts["passed"] == 1 and row.total == 1


def test_a_lab_error_in_a_call_is_broken_and_a_missing_record_ran_nothing(tmp_path):
    record = _record(
        tmp_path,
        ("t.py::a[w]", "setup", "passed", "w", ""),
        ("t.py::a[w]", "call", "failed", "w", "Lab infrastructure"),
    )
    (outcome,) = read_outcomes(record)
    assert outcome.status == "broken" and outcome.ran
    assert exit_code(1, read_outcomes(tmp_path / "absent.jsonl")) == NOTHING_RAN


def test_the_status_is_allures_and_a_retried_test_ran_even_if_its_retry_could_not(tmp_path):
    path = tmp_path / "run-record.jsonl"
    entries = [
        # a device lost in the call is "broken" (not an assertion), as Allure says
        {"nodeid": "t.py::a[w]", "when": "setup", "outcome": "passed"},
        {"nodeid": "t.py::a[w]", "when": "call", "outcome": "failed",
         "category": "Device lost", "status": "broken"},
        # ... its retry found no usable device: the test still ran (its first attempt did)
        {"nodeid": "t.py::a[w]", "when": "setup", "outcome": "failed",
         "category": "Device unavailable", "status": "broken"},
        # an assertion in setup is "failed", as Allure says
        {"nodeid": "t.py::b[w]", "when": "setup", "outcome": "failed",
         "category": "Product defect", "status": "failed"},
        # pytest killed in the middle of a call: broken, never skipped
        {"nodeid": "t.py::c[w]", "when": "setup", "outcome": "passed"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(e) for e in entries) + "\n")
    found = {o.nodeid: o for o in read_outcomes(path)}
    assert (found["t.py::a[w]"].status, found["t.py::a[w]"].ran) == ("broken", True)
    assert found["t.py::b[w]"].status == "failed"
    assert found["t.py::c[w]"].status == "broken"
    assert exit_code(1, list(found.values())) == FAILED
