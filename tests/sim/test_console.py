"""pyserial on a virtual device's console (a pty, opened like /dev/ttyUSB0)."""

from __future__ import annotations

import time

import serial

from tests.virtual_farm import SERIALS


def _read_until(port: serial.Serial, needle: bytes, timeout: float = 10) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        seen += port.read(4096)
    assert needle in seen, seen[-500:]
    return seen


def test_console_is_the_devices_shell(farm):
    """A UART console is a shell with a prompt, as on a device: `console:/ $ `, the
    last failure's status before it, the tty echoing what was typed."""
    path = farm.status()["t-watch"]["console"]
    with serial.Serial(path, 115200, timeout=0.2) as port:
        port.write(b"\r")
        _read_until(port, b"console:/ $ ")
        port.write(b"getprop ro.product.model\r")
        seen = _read_until(port, b"console:/ $ ")
        assert b"getprop ro.product.model\r\nTOS Watch W1\r\n" in seen
        port.write(b"dumpsys battery | grep level; echo $((6*7))\r")
        seen = _read_until(port, b"console:/ $ ")
        assert b"level: 87" in seen and b"\r\n42\r\n" in seen
        port.write(b"frobnicate\r")
        seen = _read_until(port, b"127|console:/ $ ")
        assert b"frobnicate: inaccessible or not found" in seen


def test_boot_banner_after_adb_reboot(farm):
    # like a UART, the banner is seen by whoever is attached at boot (pyserial flushes on open)
    path = farm.status()["t-spare"]["console"]
    with serial.Serial(path, 115200, timeout=0.2) as port:
        assert farm.adb(SERIALS["t-spare"], "reboot").returncode == 0
        banner = _read_until(port, b"boot completed", timeout=20)
    assert b"Booting Linux" in banner and b"Machine model: TOS Phone P10" in banner
    assert b"build fingerprint tos/" in banner


def test_console_reboot_prints_the_boot_log_again(farm):
    path = farm.status()["t-spare"]["console"]
    with serial.Serial(path, 115200, timeout=0.2) as port:
        port.reset_input_buffer()
        port.write(b"reboot\r")
        log = _read_until(port, b"boot completed", timeout=20)
        assert b"reboot: Restarting system" in log and b"Booting Linux" in log
