"""`lab certify` end to end on the test farm's watch, with a small plan of its own: a PASS
bundle that verifies; one outcome edited in result.xml -> verify names the file; a test
that fails -> FAIL, the cause fixed -> `retry` reruns only it and the verdict is PASS; a
known failure past its expiry no longer waives; a device of another build is refused; a
retry refuses an earlier result edited after signing, or a plan changed since."""

from __future__ import annotations

import json
import textwrap

import pytest

FLAG = "/data/local/tmp/cert-broken"
FLAG2 = "/data/local/tmp/cert-broken-2"
EDIT = "/data/local/tmp/cert-edit-plan"
SUITE = f"""
import pytest

pytestmark = pytest.mark.device_class("watch")


@pytest.mark.requirement("1.1/W-0-1")
def test_identity(dut):
    assert dut.getprop("ro.build.fingerprint")


@pytest.mark.requirement("1.2/W-0-1")
def test_not_broken(dut):
    said = dut.shell("cat {FLAG} 2>/dev/null; true").stdout.strip()
    assert said != "broken", "the device says it is broken"


def test_console(dut):
    assert dut.shell("echo ok").stdout.strip() == "ok"
    said = dut.shell("cat {FLAG2} 2>/dev/null; true").stdout.strip()
    assert said != "broken", "the console is broken"
    edit = dut.shell("cat {EDIT} 2>/dev/null; true").stdout.strip()
    if edit:  # the lab edits the plan while it runs (test_a_plan_edited_mid_run_...)
        with open(edit, "a") as plan:
            plan.write("# edited during the run\\n")
"""
DEFINITION = """
name: small
version: "1"
certified_classes: [watch]
requirements:
  - {id: 1.1/W-0-1, section: "1.1", strength: MUST, classes: [watch], text: identity}
  - {id: 1.2/W-0-1, section: "1.2", strength: SHOULD, classes: [watch], text: not broken}
"""


def plan_text(suite, known: str = "[]") -> str:
    return textwrap.dedent(f"""
        name: small-watch
        definition: small.yaml
        classes: [watch]
        modules: [{suite}]
        known_failures: {known}
    """)


@pytest.fixture
def certify(farm, tmp_path):
    (tmp_path / "certification").mkdir()
    (tmp_path / "certification" / "small.yaml").write_text(DEFINITION)
    (tmp_path / "plans").mkdir()
    suite = tmp_path / "suite" / "test_small.py"
    suite.parent.mkdir()
    suite.write_text(SUITE)
    plan = tmp_path / "plans" / "small.yaml"
    plan.write_text(plan_text(suite))
    key = tmp_path / "keys" / "cert.key"
    out = tmp_path / "out"

    def lab(*args: str, check: bool = False):
        extra = ["--key", str(key), "--out", str(out)] if args[0] in ("run", "retry") else []
        inv = ["--inventory", str(farm.inventory)] if args[0] in ("run", "retry") else []
        return farm.lab("certify", *args, *extra, *inv, check=check, timeout=600)

    lab("keygen", "--key", str(key), check=True)
    return lab, plan, suite, key, out


def session_of(out, done) -> dict:
    sessions = sorted(out.glob("*/result.json"))
    assert sessions, done.stdout + done.stderr
    return json.loads(sessions[-1].read_text())


def test_pass_then_tamper(certify, make_dut):
    lab, plan, _, key, out = certify
    make_dut("t-watch").shell(["rm", "-f", FLAG])
    done = lab("run", "--plan", str(plan), "--device", "t-watch")
    session = session_of(out, done)
    assert done.returncode == 0, session["verdict"]
    assert session["verdict"]["verdict"] == "PASS"
    assert {t["outcome"] for t in session["tests"]} == {"pass"}
    bundle = out / session["session"]
    ok = lab("verify", str(bundle), "--key", str(key.with_suffix(".pub")))
    assert ok.returncode == 0 and "OK" in ok.stdout
    xml = bundle / "result.xml"
    xml.write_text(xml.read_text().replace('result="pass"', 'result="fail"', 1))
    bad = lab("verify", str(bundle), "--key", str(key.with_suffix(".pub")))
    assert bad.returncode == 1 and "result.xml: changed since it was signed" in bad.stdout


def test_fail_then_retry_only_the_failure(certify, make_dut):
    lab, plan, _, _, out = certify
    watch = make_dut("t-watch")
    watch.shell(["sh", "-c", f"echo broken > {FLAG}"])
    try:
        done = lab("run", "--plan", str(plan), "--device", "t-watch")
        first = session_of(out, done)
        assert done.returncode == 1 and first["verdict"]["verdict"] == "FAIL"
        failed = [t["nodeid"] for t in first["tests"] if t["outcome"] == "fail"]
        assert len(failed) == 1 and "test_not_broken" in failed[0]
        assert any("test_not_broken" in r for r in first["verdict"]["reasons"])
    finally:
        watch.shell(["rm", "-f", FLAG])  # the cause, fixed
    done = lab("retry", "--session", first["session"])
    second = session_of(out, done)
    assert done.returncode == 0 and second["verdict"]["verdict"] == "PASS", second["verdict"]
    assert "retrying 1 of 3 tests" in done.stdout
    assert [h["session"] for h in second["history"]] == [first["session"]]
    record = (out / second["session"] / "logs" / "run.jsonl").read_text().splitlines()
    ran_again = {json.loads(line)["nodeid"].partition("::")[2] for line in record}
    assert ran_again == {nodeid.partition("::")[2] for nodeid in failed}


def test_an_expired_known_failure_no_longer_waives(certify, make_dut):
    lab, plan, suite, _, out = certify
    watch = make_dut("t-watch")
    watch.shell(["sh", "-c", f"echo broken > {FLAG}"])
    try:
        for expires, verdict in (("2099-01-01", "PASS"), ("2020-01-01", "FAIL")):
            known = (
                f"[{{test: {suite}::test_not_broken, bug: b/42, reason: r, expires: {expires}}}]"
            )
            plan.write_text(plan_text(suite, known))
            session = session_of(out, lab("run", "--plan", str(plan), "--device", "t-watch"))
            assert session["verdict"]["verdict"] == verdict, session["verdict"]
    finally:
        watch.shell(["rm", "-f", FLAG])
    assert "known failure b/42 expired 2020-01-01" in " ".join(session["verdict"]["reasons"])


def test_a_plan_for_another_class_or_a_mixed_model_is_refused(certify):
    lab, plan, *_ = certify
    done = lab("run", "--plan", str(plan), "--device", "t-tv")
    assert done.returncode == 2 and "not a tv" in done.stderr
    done = lab("run", "--plan", str(plan), "--device", "t-watch", "--device", "t-phone")
    assert done.returncode == 2 and "one model" in done.stderr


def test_a_plan_edited_mid_run_is_never_pass(certify, make_dut):
    lab, plan, *_, out = certify
    watch = make_dut("t-watch")
    watch.shell(["sh", "-c", f"echo {plan} > {EDIT}"])
    try:
        session = session_of(out, lab("run", "--plan", str(plan), "--device", "t-watch"))
    finally:
        watch.shell(["rm", "-f", EDIT])
    assert {t["outcome"] for t in session["tests"]} == {"pass"}
    assert session["verdict"]["verdict"] == "FAIL"
    assert f"the plan {plan} was edited during the run" in session["verdict"]["reasons"]


def test_a_retry_builds_only_on_what_the_lab_signed(certify, make_dut):
    """Two tests fail; someone marks one of them passed in result.json and fixes only the
    other: a retry would rerun the other alone and sign a PASS for a broken device."""
    lab, plan, _, key, out = certify
    watch = make_dut("t-watch")
    for flag in (FLAG, FLAG2):
        watch.shell(["sh", "-c", f"echo broken > {flag}"])
    try:
        first = session_of(out, lab("run", "--plan", str(plan), "--device", "t-watch"))
        assert sum(t["outcome"] == "fail" for t in first["tests"]) == 2
        result = out / first["session"] / "result.json"
        original = result.read_text()
        forged = json.loads(original)
        for test in forged["tests"]:
            if "test_not_broken" in test["nodeid"]:
                test["outcome"] = "pass"
        result.write_text(json.dumps(forged, indent=1, sort_keys=True))
        watch.shell(["rm", "-f", FLAG2])  # the console fixed; the device still broken
        done = lab("retry", "--session", first["session"])
        assert done.returncode == 2, done.stdout + done.stderr
        assert "does not verify with the lab's key" in done.stderr
        assert "result.json: changed since it was signed" in done.stderr
        assert len(list(out.glob("*/result.json"))) == 1  # no new session, nothing signed
        listed = lab("list", "--out", str(out), "--key", str(key.with_suffix(".pub")))
        assert "EDITED" in listed.stdout, listed.stdout
        result.write_text(original)
        plan.write_text(plan.read_text() + "# a module added since\n")
        done = lab("retry", "--session", first["session"])
        assert done.returncode == 2 and "changed since session" in done.stderr, done.stderr
    finally:
        watch.shell(["rm", "-f", FLAG, FLAG2])
