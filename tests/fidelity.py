"""The per-client tally of tests/clients: counted from the reports (where the client and
whether a clear failure is the right answer travel in user_properties), so it works on
the xdist controller, which never loads tests/clients/conftest.py."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_TALLY: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))


def register_markers(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "client(name): the third-party client a test drives")
    config.addinivalue_line(
        "markers", "clear_failure: the right answer is a clear failure (as on a device)"
    )


def count(report: pytest.TestReport) -> None:
    properties = dict(report.user_properties)
    client = properties.get("client")
    if client is None or report.when not in ("setup", "call"):
        return
    if report.when == "setup" and report.passed:
        return  # counted at its call
    counts = _TALLY[str(client)]
    counts["operations"] += 1
    if report.passed:
        counts["clear_failure" if properties.get("clear_failure") else "as_on_a_device"] += 1
    elif report.skipped:
        counts["skipped"] += 1
    else:
        text = str(report.longrepr)
        timed_out = "+ Timeout +" in text or "Failed: Timeout" in text  # pytest-timeout
        counts["hangs" if timed_out else "wrong"] += 1


def summarise(terminalreporter) -> None:
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
