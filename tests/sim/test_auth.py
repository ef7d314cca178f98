"""RSA auth: only public keys in the device's list get in; others stay unauthorized."""

from __future__ import annotations

import time


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
    assert farm.adb("127.0.0.1:6630", "shell", "echo in").stdout.strip() == "in"
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
    assert _state(farm, "127.0.0.1:6632", "unauthorized") == "unauthorized"
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
