"""The run's own record, as JSON lines (`--lab-record PATH`): at collection, each test's
node id, module and the requirements it names (`@pytest.mark.requirement("5.1/W-0-1")`);
during the run, each phase's outcome with its failure text, its category (lab.errors.
Category) and the device it ran on. Written by the controller, so xdist workers' reports
land in one file. `lab run` reads its exit code and summary from it (lab.run.outcome),
`lab certify` its verdict (lab.certify.results)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lab.redaction import redact

RECORD = pytest.StashKey[Path]()


def requirements_of(item: pytest.Item) -> list[str]:
    found: list[str] = []
    for marker in item.iter_markers("requirement"):
        found += [str(arg) for arg in marker.args]
    return sorted(set(found))


def configure(config: pytest.Config) -> None:
    out = config.getoption("--lab-record")
    if out and not hasattr(config, "workerinput"):
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
        config.stash[RECORD] = path


def collected(items: list[pytest.Item]) -> None:
    for item in items:
        item.user_properties.append(("requirements", requirements_of(item)))


def finished(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests that will run (after -k, --deselect), written by a --collect-only run."""
    if RECORD in config.stash and config.getoption("collectonly"):
        _write(config, [{"collected": i.nodeid, "module": i.nodeid.split("::")[0],
                         "path": str(i.path), "requirements": requirements_of(i)}
                        for i in items])  # fmt: skip


def reported(config: pytest.Config, report: pytest.TestReport) -> None:
    if RECORD not in config.stash:
        return
    properties = dict(report.user_properties)
    _write(config, [{
        "nodeid": report.nodeid, "when": report.when, "outcome": report.outcome,
        "duration": round(report.duration, 3),
        # failure texts go into a signed bundle: the lab's secrets never do (lab.redaction)
        "failure": redact(report.longreprtext[-4000:]) if report.failed else "",
        "skip": redact(report.longreprtext[-500:]) if report.skipped else "",
        "device": properties.get("device", ""),
        "category": properties.get("category", ""),
        "status": properties.get("status", ""),
        "requirements": properties.get("requirements", []),
    }])  # fmt: skip


def _write(config: pytest.Config, entries: list[dict]) -> None:
    with config.stash[RECORD].open("a") as out:
        for entry in entries:
            out.write(json.dumps(entry) + "\n")
