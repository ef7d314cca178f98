"""The device's serial console on a pty: pyserial opens the slave like /dev/ttyUSB0.

Like a device's UART: the kernel's boot log and messages, then (once booted) a shell on the
console, the device's real /system/bin/sh with the `console:/ $ ` prompt, restarted when it
exits. The wire is raw; the console's own tty (the device side) has a line discipline that
echoes and turns CR into NL, as a UART's tty does.
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

from lab.sim.userland.zygote import Child

log = logging.getLogger("console")

Spawn = Callable[[int], Child]  # the console tty's slave fd -> the shell on it


class SerialConsole:
    def __init__(self, log_path: Path) -> None:
        self._log = open(log_path, "ab", buffering=0)  # noqa: SIM115 - lives as long as we do
        self.master, self._slave = os.openpty()  # the wire: master is the device's end
        os.set_blocking(self.master, False)
        tty.setraw(self._slave)
        attrs = termios.tcgetattr(self._slave)
        attrs[3] &= ~termios.ECHO
        termios.tcsetattr(self._slave, termios.TCSANOW, attrs)
        self.path = os.ttyname(self._slave)  # the slave stays open so reads never see EIO
        self._write_lock = threading.Lock()
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._shell_lock = threading.Lock()
        self._tty: int | None = None  # master of the console tty the shell runs on
        self._shell: Child | None = None
        self._spawn: Spawn | None = None

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

    # -- the shell
    def start_shell(self, spawn: Spawn) -> None:
        """Run a shell on the console (init's `console` service), restarted when it exits."""
        with self._shell_lock:
            self._spawn = spawn
        self._respawn()

    def stop_shell(self) -> None:
        """The device is going down: its shell goes with it (not restarted)."""
        with self._shell_lock:
            self._spawn = None
            shell, self._shell = self._shell, None
            tty_fd, self._tty = self._tty, None
        if shell:
            shell.hangup()
        if tty_fd is not None:
            with contextlib.suppress(OSError):
                os.close(tty_fd)

    def _respawn(self) -> None:
        with self._shell_lock:
            if self._spawn is None or self._stop.is_set():
                return
            master, slave = os.openpty()
            try:
                shell = self._spawn(slave)
            except OSError as exc:
                log.warning("console shell did not start: %s", exc)
                os.close(master)
                return
            finally:
                os.close(slave)
            os.set_blocking(master, False)
            old, self._tty, self._shell = self._tty, master, shell
        if old is not None:
            with contextlib.suppress(OSError):
                os.close(old)
        threading.Thread(target=self._watch, args=(shell,), daemon=True, name="console-sh").start()

    def _watch(self, shell: Child) -> None:
        shell.wait()
        with self._shell_lock:
            current = self._shell is shell
        if current and not self._stop.wait(0.3):
            self._respawn()

    # -- the wire, both ways
    def serve(self) -> None:
        threading.Thread(target=self._relay, name="console", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        self.stop_shell()
        self._log.close()

    def _relay(self) -> None:
        while not self._stop.is_set():
            with self._shell_lock:
                tty_fd = self._tty
            watched = [self.master] + ([tty_fd] if tty_fd is not None else [])
            try:
                ready, _, _ = select.select(watched, [], [], 0.5)
            except (OSError, ValueError):
                time.sleep(0.05)  # the shell's tty was just replaced
                continue
            if self.master in ready:
                typed = self._read(self.master)
                if typed and tty_fd is not None:  # no shell yet (booting): input is lost
                    with contextlib.suppress(OSError):
                        os.write(tty_fd, typed)
            if tty_fd is not None and tty_fd in ready:
                shown = self._read(tty_fd)
                if shown:
                    self.write(shown)

    @staticmethod
    def _read(fd: int) -> bytes:
        try:
            return os.read(fd, 4096)
        except (BlockingIOError, InterruptedError):
            return b""
        except OSError:  # EIO: the shell's side closed (it exited or the device rebooted)
            time.sleep(0.05)
            return b""
