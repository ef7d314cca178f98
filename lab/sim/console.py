"""The device's serial console on a pty: pyserial opens the slave like /dev/ttyUSB0.

It prints a boot log at start and at reboot, kernel-style lines as the device runs, and
offers a `tos>` prompt with a few commands.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import select
import termios
import threading
import time
import tty
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("console")
PROMPT = b"tos> "
HELP = "commands: help, getprop [NAME], logcat [N], uptime, battery, reboot"


class SerialConsole:
    def __init__(self, handlers: dict[str, Callable[[list[str]], str]], log_path: Path) -> None:
        self._handlers = handlers
        self._log = open(log_path, "ab", buffering=0)  # noqa: SIM115 - lives as long as we do
        self.master, self._slave = os.openpty()
        os.set_blocking(self.master, False)
        tty.setraw(self._slave)  # a UART: no echo or line editing by the kernel
        attrs = termios.tcgetattr(self._slave)
        attrs[3] &= ~termios.ECHO
        termios.tcsetattr(self._slave, termios.TCSANOW, attrs)
        self.path = os.ttyname(self._slave)  # the slave stays open so reads never see EIO
        self._write_lock = threading.Lock()
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._line = bytearray()

    # -- output
    def write(self, data: bytes) -> None:
        """Like a UART: with nobody reading and the pty buffer full, bytes are lost, and the
        device never blocks on its console. Everything also goes to the console log."""
        with self._write_lock:
            self._log.write(data)
            with contextlib.suppress(OSError):  # BlockingIOError (buffer full) included
                os.write(self.master, data)

    def kernel(self, message: str) -> None:
        stamp = time.monotonic() - self._started
        self.write(f"[{stamp:12.6f}] {message}\r\n".encode())

    def boot_log(self, spec_model: str, platform: str, fingerprint: str) -> None:
        self._started = time.monotonic()
        for line in (
            "Booting Linux on physical CPU 0x0",
            f"Linux version 5.15.110-tos ({platform}) #1 SMP PREEMPT",
            f"Machine model: {spec_model}",
            "Memory: 2048MB available",
            "init: starting service 'adbd'...",
            "init: starting service 'surfaceflinger'...",
            f"init: build fingerprint {fingerprint}",
        ):
            self.kernel(line)

    def garbage(self, size: int = 256) -> None:
        rng = random.Random(time.monotonic_ns())
        self.write(bytes(rng.randrange(256) for _ in range(size)))

    # -- input
    def serve(self) -> None:
        threading.Thread(target=self._read_loop, name="console", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        self._log.close()

    def _read_loop(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if not ready:
                continue
            try:
                data = os.read(self.master, 4096)
            except OSError:
                time.sleep(0.1)
                continue
            for byte in data:
                self._feed(byte)

    def _feed(self, byte: int) -> None:
        if byte in (0x0D, 0x0A):
            if byte == 0x0A and not self._line and getattr(self, "_last_cr", False):
                self._last_cr = False
                return
            self._last_cr = byte == 0x0D
            line = self._line.decode(errors="replace").strip()
            self._line.clear()
            self.write(b"\r\n")
            if line:
                self._run(line)
            self.write(PROMPT)
        elif byte in (0x08, 0x7F):
            if self._line:
                self._line.pop()
                self.write(b"\b \b")
        elif byte >= 0x20:
            self._line.append(byte)
            self.write(bytes([byte]))  # the console echoes like a shell on a UART

    def _run(self, line: str) -> None:
        name, *args = line.split()
        if name == "help":
            self.write(HELP.encode() + b"\r\n")
            return
        handler = self._handlers.get(name)
        if handler is None:
            self.write(f"{name}: unknown command ({HELP})\r\n".encode())
            return
        try:
            text = handler(args)
        except Exception as exc:  # a console command must never kill the console
            log.exception("console command %r failed", line)
            text = f"{name}: failed: {exc}"
        if text:
            self.write(text.replace("\n", "\r\n").encode() + b"\r\n")
