"""The payment suite on the test farm (a watch with an NFC reader beside it, a phone with
a camera, the sandbox), through `lab run` as a user runs it, next to a canary test that
puts the test PIN and card number everywhere a test can: its failure message, stdout,
a step's title and parameter, an attachment, logcat and the serial console. Then every
file under the run's report folder is searched: none holds the PIN, the card number or
an API key."""

from __future__ import annotations

import re

from lab.tos import data
from tests.run.runs import results

DATA = data.payment()
KEYS = re.compile(rb"(?:sk|wk)_test_[A-Za-z0-9_-]{16,}|ak_[A-Za-z0-9_-]{30,}")
CANARY = """
import allure
import pytest

from lab.redaction import register
from lab.tos import data

DATA = data.payment()
PIN, CARD = DATA["pin"], DATA["card_number"]
register(PIN, "PIN")


@pytest.mark.device_class("watch")
def test_canary_puts_secrets_everywhere(dut, attach):
    print("stdout says", PIN, CARD)
    dut.shell(["log", "-t", "Canary", f"pin={PIN} card={CARD}"])
    dut.console.send(f"echo console {PIN} {CARD}")
    dut.console.expect("console " + PIN, timeout=10)  # the device echoed it back
    allure.dynamic.parameter("pin", PIN)
    with allure.step(f"a step naming {PIN}"):
        attach.text("canary attachment", f"pin {PIN} card {CARD}")
    assert PIN == CARD, f"the PIN {PIN} is not the card {CARD}"
"""


def test_the_payment_suite_passes_and_leaves_no_secret(farm, sandbox_url, tmp_path):
    canary = tmp_path / "canary" / "test_canary.py"
    canary.parent.mkdir()
    canary.write_text(CANARY)
    reports = tmp_path / "reports"
    done = farm.lab(
        "run", "tos/payment", str(canary), "-n", "2", "--inventory", str(farm.inventory),
        "--device", "t-watch", "--device", "t-phone",
        "--report-dir", str(reports),
        "-k", "not expires",  # the 60 s wait for a code to expire belongs to `make run`
        check=False, timeout=270,  # under pytest-timeout's 300 s: its output is kept
    )  # fmt: skip
    found = results(reports)
    canaries = [(r["name"], r["status"]) for r in found if "canary" in r["fullName"]]
    said = [r.get("statusDetails", {}).get("message", "") for r in found if "canary" in r["name"]]
    assert canaries == [("test_canary_puts_secrets_everywhere[t-watch]", "failed")], said
    suite = [r for r in found if "canary" not in r["fullName"]]
    assert len(suite) >= 20
    for result in suite:
        reason = result.get("statusDetails", {}).get("message", "")
        if result["status"] == "skipped":  # only the tap on t-phone: no reader beside it
            assert "no NFC reader beside t-phone" in reason, result["fullName"]
        else:
            assert result["status"] == "passed", (result["fullName"], reason)
    assert done.returncode == 1  # the canary's failure

    secrets = [DATA["pin"].encode(), DATA["card_number"].encode()]
    files = [p for p in reports.rglob("*") if p.is_file()]
    assert len(files) > 50  # results, attachments, the HTML report, JUnit, logs
    leaks = []
    for path in files:
        data = path.read_bytes()
        leaks += [f"{path.relative_to(reports)}: {s.decode()}" for s in secrets if s in data]
        leaks += [f"{path.relative_to(reports)}: an API key" for _ in KEYS.finditer(data)]
    assert not leaks, leaks[:10]
    # and they were hidden, not lost: the canary's words are there, redacted
    card = re.compile(r"(\[card number\]|621700\*{6}7893)")
    junit = (reports / "junit.xml").read_text()
    assert re.search(r"the PIN \[PIN\] is not the card " + card.pattern, junit)
    console = next(reports.rglob("t-watch.console.log")).read_text(errors="replace")
    assert re.search(r"console \[PIN\] " + card.pattern, console)
