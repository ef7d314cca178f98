"""The multi-device suite on the test farm (t-tv hosts the game, t-phone and t-spare are
the pads, the sandbox sells its paid level), through `lab run` as a user runs it: every
test passes, each on the devices its roles name."""

from __future__ import annotations

import re

from tests.run.runs import labels, results


def test_the_multidevice_suite_passes(farm, sandbox_url, tmp_path):
    reports = tmp_path / "reports"
    done = farm.lab(
        "run", "tos/multidevice", "-n", "2", "--inventory", str(farm.inventory),
        "--device", "t-tv", "--device", "t-phone", "--device", "t-spare",
        "--report-dir", str(reports), check=False, timeout=600,
    )  # fmt: skip
    found = results(reports)
    failed = [(r["name"], r.get("statusDetails", {}).get("message", "")[:300])
              for r in found if r["status"] != "passed"]  # fmt: skip
    assert not failed and done.returncode == 0, failed or done.stdout[-2000:]
    devices = {re.split(r"[#.]", r["fullName"])[-1]: labels(r, "parentSuite") for r in found}
    assert len(devices) == 8
    assert devices["test_two_players"] == ["t-phone+t-spare+t-tv"]
    assert devices["test_pair_and_move"] == ["t-phone+t-tv"]
