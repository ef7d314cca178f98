"""The virtual devices: shell round trip, push/pull, screencap, uiautomator2, start time."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import uiautomator2 as u2

from bench.farm import ADB, SERIALS, BenchFarm
from bench.stats import ms, timed


def _host_shell(serial: str, command: str) -> bytes:
    """One `shell:` through the adb server's host protocol, without client-library sleeps."""
    with socket.create_connection(("127.0.0.1", 5037)) as sock:
        for request in (f"host:transport:{serial}", f"shell:{command}"):
            sock.sendall(f"{len(request):04x}{request}".encode())
            assert sock.recv(4) == b"OKAY"
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
        return out


def _mb_per_s(size: int, samples: list[float]) -> str:
    return f"{size / statistics.median(samples) / 1e6:.0f} MB/s (median of {len(samples)})"


def run() -> list[tuple[str, str]]:
    farm = BenchFarm()
    rows: list[tuple[str, str]] = []
    try:
        rows.append(
            (
                "start one device (watch, boot 0 s) until adb sees it booted",
                f"{farm.up('watch') * 1000:.0f} ms",
            )
        )
        rows.append(
            (
                "start the other three at once (tv, headset, phone)",
                f"{farm.up('tv', 'headset', 'phone') * 1000:.0f} ms",
            )
        )
        serial = SERIALS["phone"]
        rows.append(
            (
                "shell round trip, raw host protocol through the adb server",
                ms(timed(lambda: _host_shell(serial, "echo x"), 200, warmup=5)),
            )
        )
        rows.append(
            (
                "shell round trip, adb CLI `adb shell echo x`",
                ms(
                    timed(
                        lambda: subprocess.run(
                            [ADB, "-s", serial, "shell", "echo x"], capture_output=True, check=True
                        ),
                        30,
                    )
                ),
            )
        )
        device = farm.device("phone")
        rows.append(
            (
                "shell round trip, adbutils `shell('echo x')`",
                ms(timed(lambda: device.shell("echo x"), 50)),
            )
        )
        payload = Path(tempfile.mkdtemp()) / "5mb.bin"
        payload.write_bytes(os.urandom(5 * 1024 * 1024))
        size = payload.stat().st_size
        rows.append(
            (
                "push 5 MB, adb CLI",
                _mb_per_s(
                    size,
                    timed(
                        lambda: subprocess.run(
                            [ADB, "-s", serial, "push", str(payload), "/sdcard/5mb.bin"],
                            capture_output=True,
                            check=True,
                        ),
                        5,
                    ),
                ),
            )
        )
        rows.append(
            (
                "pull 5 MB, adb CLI",
                _mb_per_s(
                    size,
                    timed(
                        lambda: subprocess.run(
                            [ADB, "-s", serial, "pull", "/sdcard/5mb.bin", str(payload) + ".back"],
                            capture_output=True,
                            check=True,
                        ),
                        5,
                    ),
                ),
            )
        )
        rows.append(
            (
                "push 5 MB, adbutils sync.push",
                _mb_per_s(
                    size, timed(lambda: device.sync.push(str(payload), "/sdcard/5mb.bin"), 5)
                ),
            )
        )
        rows.append(
            (
                "pull 5 MB, adbutils sync.read_bytes",
                _mb_per_s(size, timed(lambda: device.sync.read_bytes("/sdcard/5mb.bin"), 5)),
            )
        )
        for kind, serial_of in SERIALS.items():
            rows.append(
                (
                    f"`screencap -p`, {kind}, unchanged screen (cached PNG)",
                    ms(timed(lambda s=serial_of: _host_shell(s, "screencap -p"), 15)),
                )
            )
            rows.append(
                (
                    f"`input keyevent HOME; screencap -p`, {kind} (fresh render + PNG)",
                    ms(
                        timed(
                            lambda s=serial_of: _host_shell(s, "input keyevent HOME; screencap -p"),
                            15,
                        )
                    ),
                )
            )
        watch = u2.connect(SERIALS["watch"])
        rows.append(
            (
                "uiautomator2 `d.info`, stock client (Nagle + delayed ACK)",
                ms(timed(lambda: watch.info, 20)),
            )
        )
        rows.append(
            ("uiautomator2 `dump_hierarchy()`, stock client", ms(timed(watch.dump_hierarchy, 10)))
        )
        started = time.perf_counter()
        u2.connect(SERIALS["tv"]).info  # noqa: B018 - first connect pushes u2.jar, launches agent
        rows.append(
            (
                "`u2.connect()` + first call (push u2.jar, launch agent)",
                f"{(time.perf_counter() - started) * 1000:.0f} ms",
            )
        )
    finally:
        farm.down()
    return rows
