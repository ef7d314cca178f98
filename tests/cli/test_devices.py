"""`lab devices`: the inventory with live state, as a table and as JSON."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from lab.cli import main

ROOT = Path(__file__).resolve().parents[2]
LAB = Path(sys.executable).with_name("lab")
STATES = {"device", "offline", "unauthorized", "absent"}


def _run_json(monkeypatch, capsys, *args: str) -> dict:
    monkeypatch.setattr(sys, "argv", ["lab", "devices", "--json", *args])
    try:
        main()
    except SystemExit as exc:
        assert exc.code in (0, None), capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_json_on_default_inventory_lists_every_device():
    done = subprocess.run(
        [str(LAB), "devices", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    listing = json.loads(done.stdout)
    devices = {d["id"]: d for d in listing["devices"]}
    assert set(devices) == {"watch-1", "tv-1", "headset-1", "phone-1", "phone-2"}
    assert {d["class"] for d in devices.values()} == {"watch", "tv", "headset", "phone"}
    assert all(d["state"] in STATES for d in devices.values())
    assert all(d["console"] in {"opens", "fails", "not running"} for d in devices.values())


def test_table_shows_every_device():
    done = subprocess.run(
        [str(LAB), "devices"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"COLUMNS": "160", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    for device_id in ("watch-1", "tv-1", "headset-1", "phone-1"):
        assert device_id in done.stdout


def test_class_filter(monkeypatch, capsys):
    listing = _run_json(
        monkeypatch, capsys, "--inventory", str(ROOT / "device_inventory.yaml"), "--class", "tv"
    )
    assert [d["id"] for d in listing["devices"]] == ["tv-1"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _inventory(tmp_path: Path, console_url: str, adb_server: str) -> Path:
    path = tmp_path / "farm.yaml"
    path.write_text(f"""
devices:
  - id: board-1
    class: tv
    model: Bench TV
    platform: TOS+ 1.2
    adb: {{serial: BOARD0001, server: "{adb_server}"}}
    console: {{url: "{console_url}"}}
    display: {{width: 1920, height: 1080, density: 320}}
""")
    return path


def test_console_that_opens_and_unreachable_adb_server(tmp_path, monkeypatch, capsys):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    dead_server = f"127.0.0.2:{_free_port()}"
    try:
        inventory = _inventory(tmp_path, f"socket://127.0.0.1:{port}", dead_server)
        (device,) = _run_json(monkeypatch, capsys, "--inventory", str(inventory), "--timeout", "1")[
            "devices"
        ]
    finally:
        listener.close()
    assert device["console"] == "opens"
    assert device["state"] == "absent"  # absent is a state, not an error: exit 0
    assert dead_server in device["detail"]


def test_console_that_fails_says_why(tmp_path, monkeypatch, capsys):
    inventory = _inventory(tmp_path, f"socket://127.0.0.1:{_free_port()}", "127.0.0.2:1")
    (device,) = _run_json(monkeypatch, capsys, "--inventory", str(inventory), "--timeout", "1")[
        "devices"
    ]
    assert device["console"] == "fails"
    assert "refused" in device["console_detail"].lower()


@pytest.mark.parametrize("args", [["--class", "fridge"], ["--timeout", "0"]])
def test_bad_options_exit_2(args):
    done = subprocess.run(
        [str(LAB), "devices", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
