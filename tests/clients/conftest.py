"""Third-party clients against the virtual farm: each test is one ordinary operation of
one client, checked for the answer a real device gives.

`client` marks which client a test belongs to (the module's `pytestmark`); `clear_failure`
marks an operation whose right answer is a clear failure (a real device fails it too, or a
virtual device genuinely lacks it and says so). At the end of the session the counts per
client go to reports/fidelity.json and a table in the terminal summary (docs/FIDELITY.md
quotes one run).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_TALLY: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "client(name): the third-party client a test drives")
    config.addinivalue_line(
        "markers", "clear_failure: the right answer is a clear failure (as on a device)"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    marker = item.get_closest_marker("client")
    if marker is None or report.when not in ("setup", "call"):
        return report
    if report.when == "setup" and report.passed:
        return report  # counted at its call
    counts = _TALLY[marker.args[0]]
    counts["operations"] += 1
    if report.passed:
        counts[
            "as_on_a_device" if not item.get_closest_marker("clear_failure") else "clear_failure"
        ] += 1
    elif report.skipped:
        counts["skipped"] += 1
    else:
        text = str(report.longrepr)
        timed_out = "+ Timeout +" in text or "Failed: Timeout" in text  # pytest-timeout
        counts["hangs" if timed_out else "wrong"] += 1
    return report


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not _TALLY:
        return
    terminalreporter.section("third-party clients on the virtual farm")
    rows = {}
    for client, counts in sorted(_TALLY.items()):
        total = counts["operations"]
        good = counts["as_on_a_device"] + counts["clear_failure"]
        rows[client] = {**counts, "pass_rate": round(100 * good / total, 1) if total else 0.0}
        terminalreporter.write_line(
            f"{client:>18}: {good}/{total} pass ({rows[client]['pass_rate']} %), "
            f"{counts['clear_failure']} of them clear failures, {counts['wrong']} wrong, "
            f"{counts['hangs']} hangs"
        )
    out = ROOT / "reports" / "fidelity.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2) + "\n")
