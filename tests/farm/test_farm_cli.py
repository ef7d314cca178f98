"""`lab farm` on bad input: a clear error naming what and how to fix, exit 2, no traceback,
and nothing changed."""

from __future__ import annotations

import json

from tests.virtual_farm import BASE

DEAD_REDIS = f"redis://127.0.0.1:{BASE + 39}/0"  # nothing listens there


def test_unknown_device_and_empty_reason_are_refused(home):
    done = home.lab("farm", "quarantine", "--inventory", str(home.inventory), "t-nope",
                    "--why", "x", check=False)  # fmt: skip
    assert done.returncode == 2 and "no device 't-nope'" in done.stderr
    assert "t-watch" in done.stderr and "Traceback" not in done.stderr
    done = home.lab("farm", "quarantine", "--inventory", str(home.inventory), "t-watch",
                    "--why", "  ", check=False)  # fmt: skip
    assert done.returncode == 2 and "--why is empty" in done.stderr
    health = json.loads(home.lab("farm", "health", "--inventory", str(home.inventory),
                                 "--json").stdout)  # fmt: skip
    assert {d["device_id"]: d["state"] for d in health["devices"]}["t-watch"] != "maintenance"


def test_a_store_that_does_not_answer_is_named(home):
    dead = home.with_store(DEAD_REDIS, "dead-store")
    for args in (("health",), ("release", "t-watch")):
        done = dead.lab("farm", *args, "--inventory", str(dead.inventory), check=False)
        assert done.returncode == 2, done.stderr
        assert DEAD_REDIS in done.stderr and "lab farm up" in done.stderr
        assert "Traceback" not in done.stderr
    exported = dead.lab("farm", "export", "--inventory", str(dead.inventory), "--advertise",
                        "127.0.0.1", "--console-port", str(BASE + 24), check=False)  # fmt: skip
    assert exported.returncode == 2 and DEAD_REDIS in exported.stderr, exported.stderr
    assert "Traceback" not in exported.stderr
