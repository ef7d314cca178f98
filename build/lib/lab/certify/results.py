"""A certification run's tests and their outcomes (from the run's record, see
lab/plugin/record.py), and the verdict: PASS only when every module ran, every MUST
requirement of the device's class has a passing test, the only failures are waived by
unexpired known failures, and neither the plan nor a device's build changed mid-run."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lab.certify.definition import Definition
from lab.certify.plan import Plan
from lab.tos.paths import shorten


@dataclass
class CaseResult:
    nodeid: str
    module: str
    requirements: list[str]
    outcome: str = "not_executed"  # pass | fail | skip | not_executed
    device: str = ""
    failure: str = ""
    duration: float = 0.0
    waived_by: str = ""  # a known failure's bug id
    path: str = ""  # the test's file, absolute

    @property
    def name(self) -> str:
        return self.nodeid.split("::", 1)[-1]


def canonical(path: str, pytest_nodeid: str) -> str:
    """A test's id that does not depend on pytest's rootdir (which follows the paths
    given): its file relative to the working directory when inside it, else absolute."""
    kit = shorten(path)
    if kit is not None:  # the installed kit's: the same id wherever the lab is installed
        return f"{kit}::{pytest_nodeid.partition('::')[2]}"
    file = Path(path).resolve()
    if file.is_relative_to(Path.cwd().resolve()):
        file = file.relative_to(Path.cwd().resolve())
    return f"{file}::{pytest_nodeid.partition('::')[2]}"


def read_collected(path: Path) -> tuple[dict[str, CaseResult], dict[str, str]]:
    """The tests by canonical id, and pytest's node ids to canonical ones."""
    found, ids = {}, {}
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        if "collected" in entry:
            nodeid = canonical(entry["path"], entry["collected"])
            ids[entry["collected"]] = nodeid
            found[nodeid] = CaseResult(nodeid, entry["module"], entry["requirements"],
                                       path=entry["path"])  # fmt: skip
    return found, ids


def apply_run(tests: dict[str, CaseResult], ids: dict[str, str], path: Path) -> None:
    """Each test's outcome from its phases: a failed phase fails it (a setup error too), a
    skipped setup skips it, else the call decides."""
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        test = tests.get(ids.get(entry.get("nodeid", ""), ""))
        if test is None:
            continue
        test.device = entry["device"] or test.device
        test.duration += entry["duration"]
        if entry["outcome"] == "failed":
            test.outcome, test.failure = "fail", entry["failure"]
        elif entry["outcome"] == "skipped" and test.outcome != "fail":
            test.outcome, test.failure = "skip", entry["skip"]
        elif entry["when"] == "call" and entry["outcome"] == "passed" and test.outcome != "fail":
            test.outcome = "pass"


@dataclass
class Verdict:
    verdict: str  # PASS | FAIL
    reasons: list[str] = field(default_factory=list)
    waived: list[str] = field(default_factory=list)
    modules: dict[str, dict] = field(default_factory=dict)  # module -> done, total, ran
    requirements: dict[str, str] = field(default_factory=dict)  # id -> covered | missing


def judge(
    tests: list[CaseResult],
    plan: Plan,
    definition: Definition,
    device_class: str,
    today: dt.date,
    changed: list[str],
) -> Verdict:
    verdict = Verdict("PASS", reasons=list(changed))
    for module in plan.modules:
        mine = [t for t in tests if t.module == module]
        ran = [t for t in mine if t.outcome != "not_executed"]
        done = bool(mine) and len(ran) == len(mine)
        verdict.modules[module] = {"done": done, "total": len(mine), "ran": len(ran)}
        if not done:
            verdict.reasons.append(f"module {module} not done: {len(ran)} of {len(mine)} ran")
    for test in tests:
        test.waived_by = ""
        if test.outcome != "fail":
            continue
        waiver = plan.waiver(test.path, test.nodeid, today)
        if waiver:
            test.waived_by = waiver.bug
            verdict.waived.append(f"{test.nodeid} ({waiver.bug}, until {waiver.expires})")
        else:
            expired = [k for k in plan.known_failures if k.covers(test.path, test.nodeid)]
            note = (
                f" (known failure {expired[0].bug} expired {expired[0].expires})" if expired else ""
            )
            verdict.reasons.append(f"{test.nodeid} failed{note}")
    for requirement in definition.for_class(device_class):
        passing = [t for t in tests if requirement.id in t.requirements and t.outcome == "pass"]
        verdict.requirements[requirement.id] = "covered" if passing else "missing"
        if requirement.strength == "MUST" and not passing:
            verdict.reasons.append(f"MUST {requirement.id} has no passing test")
    if verdict.reasons:
        verdict.verdict = "FAIL"
    return verdict


def as_dicts(tests: list[CaseResult]) -> list[dict]:
    return [asdict(t) for t in tests]
