"""`lab sim up|down|status`: idempotent, clear about busy ports, one crash takes no other."""

from __future__ import annotations

import json
import os
import signal
import socket
import time


def test_up_twice_is_harmless(farm):
    before = farm.status()
    farm.lab("sim", "up", "--inventory", str(farm.inventory), "--only", "t-watch")
    after = farm.status()
    assert after["t-watch"]["pid"] == before["t-watch"]["pid"]


def test_status_lists_console_paths(farm):
    rows = farm.status()
    assert rows["t-watch"]["console"].startswith("/dev/pts/")
    assert rows["t-watch"]["state"] == "running" and rows["t-watch"]["adb"] == "device"
    assert rows["t-locked"]["state"] in ("stopped", "dead")


def test_busy_port_is_a_clear_error_and_starts_nothing(farm, tmp_path):
    squatter = socket.create_server(("127.0.0.1", 0))
    port = squatter.getsockname()[1]
    with socket.create_server(("127.0.0.1", 0)) as probe:
        free = probe.getsockname()[1]
    inventory = tmp_path / "busy.yaml"
    inventory.write_text(f"""
devices:
  - id: free-1
    class: watch
    model: W
    platform: TOS+ 1.2
    virtual: true
    adb: {{serial: "127.0.0.1:{free}"}}
    display: {{width: 454, height: 454, density: 320, shape: round}}
  - id: busy-1
    class: watch
    model: W
    platform: TOS+ 1.2
    virtual: true
    adb: {{serial: "127.0.0.1:{port}"}}
    display: {{width: 454, height: 454, density: 320, shape: round}}
""")
    try:
        done = farm.lab("sim", "up", "--inventory", str(inventory), check=False)
    finally:
        squatter.close()
    assert done.returncode == 2
    assert f"port {port}" in done.stderr and "busy" in done.stderr
    assert "Traceback" not in done.stderr
    status = json.loads(farm.lab("sim", "status", "--json", "--inventory", str(inventory)).stdout)
    rows = {row["id"]: row for row in status["devices"]}
    assert rows["free-1"]["state"] == "stopped"  # nothing left running behind the error


def test_unknown_only_id(farm):
    done = farm.lab("sim", "up", "--inventory", str(farm.inventory), "--only", "nope", check=False)
    assert done.returncode == 2 and "nope" in done.stderr


def test_a_crashed_device_takes_no_other_down(farm):
    victim = farm.status()["t-spare"]["pid"]
    os.kill(victim, signal.SIGKILL)
    time.sleep(0.3)
    rows = farm.status()
    assert rows["t-spare"]["state"] == "dead"
    for other in ("t-watch", "t-tv", "t-headset", "t-phone"):
        assert rows[other]["state"] == "running"
        assert farm.device(rows[other]["serial"]).shell("echo ok") == "ok"
    farm.lab(
        "sim",
        "up",
        "--inventory",
        str(farm.inventory),
        "--only",
        "t-spare",
        "--boot-seconds",
        "0.2",
    )
    assert farm.status()["t-spare"]["state"] == "running"
