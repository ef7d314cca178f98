"""RSA auth: only public keys in the device's list get in; others stay unauthorized."""

from __future__ import annotations

import time

from tests.virtual_farm import LOCKED, STRANGER


def _state(farm, serial: str, want: str, timeout: float = 20) -> str:
    state = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in farm.adb(serial, "devices").stdout.splitlines():
            if line.startswith(serial):
                state = line.split()[-1]
        if state == want:
            break
        time.sleep(0.2)
    return state


def test_known_key_gets_in_and_a_stranger_stays_unauthorized(farm):
    farm.lab(
        "sim",
        "up",
        "--inventory",
        str(farm.inventory),
        "--only",
        "t-locked",
        "--boot-seconds",
        "0.2",
    )
    assert farm.adb(f"127.0.0.1:{LOCKED}", "shell", "echo in").stdout.strip() == "in"
    done = farm.lab(
        "sim",
        "up",
        "--inventory",
        str(farm.inventory),
        "--only",
        "t-stranger",
        "--timeout",
        "3",
        check=False,
    )
    assert done.returncode == 2 and "t-stranger" in done.stderr  # never booted as far as adb sees
    assert _state(farm, f"127.0.0.1:{STRANGER}", "unauthorized") == "unauthorized"
    farm.lab(
        "sim",
        "down",
        "--inventory",
        str(farm.inventory),
        "--only",
        "t-locked",
        "--only",
        "t-stranger",
    )


def test_a_known_public_key_without_a_signature_stays_unauthorized(farm):
    """Raw protocol: offering the very key the device lists, but never signing its token,
    gets no CNXN. A device trusts a key only through a signature (or a user accepting
    the prompt, which nobody does here)."""
    from pathlib import Path

    from tests.sim import raw_adb

    farm.lab("sim", "up", "--inventory", str(farm.inventory), "--only", "t-locked")
    try:
        known = (Path.home() / ".android" / "adbkey.pub").read_bytes()
        with raw_adb.connect(LOCKED, timeout=3) as sock:
            sock.sendall(raw_adb.hello())
            command, kind, _, token = raw_adb.read_packet(sock)
            assert (command, kind, len(token)) == (raw_adb.AUTH, 1, 20)  # a token to sign
            sock.sendall(raw_adb.packet(raw_adb.AUTH, 3, 0, known + b"\0"))  # RSAPUBLICKEY
            assert raw_adb.read_packet(sock) is None  # nothing within 3 s: no CNXN
            sock.sendall(raw_adb.packet(raw_adb.OPEN, 1, 0, b"shell:id\0"))
            assert raw_adb.read_packet(sock) is None  # and no service before that
    finally:
        farm.lab("sim", "down", "--inventory", str(farm.inventory), "--only", "t-locked")
