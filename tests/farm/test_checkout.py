"""lab.farm.checkout from a plain script (no pytest): the device comes leased, checked and
logging, and once the lease is taken away the script's next action is refused before it
reaches the device."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from lab.device.factory import open_dut
from lab.farm.books import open_books
from lab.inventory import load_inventory

SCRIPT = """
import sys
from lab.farm.checkout import checkout
from lab.farm.leases import LeaseLost
from lab.inventory import load_inventory

inventory = load_inventory(sys.argv[1])
with checkout(inventory, "p-3", purpose="a plain script") as dut:
    serial = dut.shell("getprop ro.serialno").stdout.strip()
    print("checked", serial, ",".join(sorted(dut.captures)), flush=True)
    sys.stdin.readline()  # the test takes the lease away meanwhile
    try:
        dut.shell(["touch", "/data/local/tmp/fenced-by-script"])
        print("acted", flush=True)
    except LeaseLost as exc:
        print("fenced:", exc.message, flush=True)
"""


def test_a_script_checks_out_a_device_and_loses_it_to_fencing(redis_pool, tmp_path: Path):
    inventory = load_inventory(redis_pool.inventory)
    books = open_books(inventory.farm.lease_store, inventory.base_dir)
    marker = "/data/local/tmp/fenced-by-script"
    (tmp_path / "script.py").write_text(SCRIPT)
    script = subprocess.Popen(
        [sys.executable, str(tmp_path / "script.py"), str(redis_pool.inventory)],
        env={**redis_pool.env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ours, started = None, time.time()
    try:
        line = script.stdout.readline()
        assert line.startswith("checked "), line + script.stderr.read()
        assert "logcat" in line and "console" in line  # its capture services run
        held = books.holder("p-3")
        assert held is not None and held.purpose == "a plain script"
        assert books.health("p-3").checked_at >= started  # the script's health check, recorded
        # the script stalls past the lease's TTL (4 s) and another holder takes the device
        os.kill(script.pid, signal.SIGSTOP)
        time.sleep(books.ttl + 1.5)
        ours = books.acquire("p-3", "the-test", timeout=10, purpose="taking it away")
        os.kill(script.pid, signal.SIGCONT)
        out, err = script.communicate("\n", timeout=60)
        assert script.returncode == 0, err
        assert out.startswith("fenced: p-3: shell 'touch "), out
        assert "refused" in out and ("taken over" in out or "the-test holds it" in out), out
        # the refused action never reached the device, and leaving did not free our lease
        handle = open_dut(inventory, "p-3", log_dir=tmp_path)
        assert handle.shell(["ls", marker]).exit_code != 0
        assert books.holder("p-3").token == ours.token
    finally:
        if script.poll() is None:
            os.kill(script.pid, signal.SIGCONT)
            script.kill()
        if ours is not None:
            books.release(ours)
