"""The verdict rules: PASS only when every module ran, every MUST requirement of the class
has a passing test, and the only failures are waived by unexpired known failures; a plan
or build that changed mid-run is FAIL whatever the tests say."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lab.certify.definition import Definition, Requirement, load_definition
from lab.certify.plan import KnownFailure, Plan, find_plan, load_plan
from lab.certify.results import CaseResult, judge
from lab.errors import LabError

TODAY = dt.date(2026, 11, 22)
DEFINITION = Definition("d", "1", ("watch",), (
    Requirement("1.1/W-0-1", "1.1", "MUST", ("watch",), "must"),
    Requirement("1.2/W-0-1", "1.2", "SHOULD", ("watch",), "should"),
    Requirement("1.3/T-0-1", "1.3", "MUST", ("tv",), "a TV's"),
))  # fmt: skip


def plan(*known: KnownFailure) -> Plan:
    return Plan("p", Path("p.yaml"), Path("d.yaml"), ("watch",), ("suites/a", "suites/b"),
                (), known, "0" * 64)  # fmt: skip


def result(nodeid: str, outcome: str, *requirements: str) -> CaseResult:
    module, path = "/".join(nodeid.split("/")[:2]), nodeid.split("::")[0]
    return CaseResult(nodeid, module, list(requirements), outcome, path=path)


def passing() -> list[CaseResult]:
    return [result("suites/a/test_x.py::test_one", "pass", "1.1/W-0-1"),
            result("suites/b/test_y.py::test_two", "pass")]  # fmt: skip


def test_all_ran_all_passed_is_pass():
    verdict = judge(passing(), plan(), DEFINITION, "watch", TODAY, [])
    assert (verdict.verdict, verdict.reasons) == ("PASS", [])
    assert verdict.requirements == {"1.1/W-0-1": "covered", "1.2/W-0-1": "missing"}


def test_a_failure_fails_unless_an_unexpired_known_failure_waives_it():
    tests = [*passing(), result("suites/b/test_y.py::test_three", "fail")]
    assert judge(tests, plan(), DEFINITION, "watch", TODAY, []).verdict == "FAIL"
    waiver = KnownFailure("suites/b/test_y.py::test_three", "b/123", "flaky", TODAY)
    verdict = judge(tests, plan(waiver), DEFINITION, "watch", TODAY, [])
    assert verdict.verdict == "PASS" and "b/123" in verdict.waived[0]
    past = KnownFailure("suites/b/test_y.py", "b/123", "flaky", TODAY - dt.timedelta(days=1))
    verdict = judge(tests, plan(past), DEFINITION, "watch", TODAY, [])
    assert verdict.verdict == "FAIL"
    assert "known failure b/123 expired 2026-11-21" in verdict.reasons[0]


def test_a_module_not_done_or_a_must_without_a_pass_is_fail():
    tests = [*passing(), result("suites/b/test_y.py::test_three", "not_executed")]
    verdict = judge(tests, plan(), DEFINITION, "watch", TODAY, [])
    assert verdict.reasons == ["module suites/b not done: 1 of 2 ran"]
    skipped = [result("suites/a/test_x.py::test_one", "skip", "1.1/W-0-1"), passing()[1]]
    verdict = judge(skipped, plan(), DEFINITION, "watch", TODAY, [])
    assert verdict.reasons == ["MUST 1.1/W-0-1 has no passing test"]


def test_a_change_mid_run_is_never_pass():
    verdict = judge(passing(), plan(), DEFINITION, "watch", TODAY, ["the plan was edited"])
    assert (verdict.verdict, verdict.reasons) == ("FAIL", ["the plan was edited"])


def test_the_shipped_definition_and_plan_load():
    watch_plan = load_plan(find_plan("tos-watch"))  # the kit's, by its name
    definition = load_definition(watch_plan.definition)
    assert definition.for_class("watch") and "tos/payment" in watch_plan.modules


@pytest.mark.parametrize(
    ("text", "message"),
    [("name: x\nclasses: [watch]\nmodules: [a]\ndefinition: d.yaml\n"
      "known_failures: [{test: a, bug: b/1, reason: r}]", "missing 'expires'"),
     ("name: x\nclasses: [watch]\nmodules: [a]\ndefinition: d.yaml\n"
      "known_failures: [{test: a, bug: b/1, reason: r, expires: soon}]", "not a date"),
     ("name: x\nclasses: [watch]\nmodules: [a]\ndefinition: d.yaml\nexclude: [{test: a}]",
      r"exclude\[0\]"),
     ("name: x\nclasses: [watch]\ndefinition: d.yaml", "missing 'modules'")],
)  # fmt: skip
def test_a_bad_plan_names_its_mistake(tmp_path, text, message):
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    with pytest.raises(LabError, match=message):
        load_plan(path)


def test_what_spoilt_an_earlier_session_spoils_its_retry(tmp_path):
    """A build changed mid-run in session 1: the retry's tests may all pass, it is FAIL."""
    from lab.certify.certification import _carried
    from lab.certify.plan import plan_digest

    plan_file = tmp_path / "p.yaml"
    plan_file.write_text("name: p\n")
    spoilt = "watch-1 changed build mid-run: tos/1 -> tos/2"
    previous = {"session": "S1", "plan": {"sha256": plan_digest(plan_file)}, "changed": [spoilt],
                "verdict": {"reasons": [spoilt]}}  # fmt: skip
    carried = _carried(previous, plan_file)
    assert carried == [f"session S1: {spoilt}"]
    tests = [result("suites/a/t.py::x", "pass", "1.1/W-0-1"), result("suites/b/t.py::y", "pass")]
    verdict = judge(tests, plan(), DEFINITION, "watch", TODAY, carried)
    assert verdict.verdict == "FAIL" and carried[0] in verdict.reasons
    older = {**previous}
    del older["changed"]  # a bundle of an earlier lab keeps them among its reasons only
    assert _carried(older, plan_file) == carried
    plan_file.write_text("name: p\nmodules: [more]\n")
    with pytest.raises(LabError, match="changed since session S1"):
        _carried(previous, plan_file)
