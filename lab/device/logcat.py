"""Logcat for the span of one test: a streaming `logcat -T 1` started at the test's start
and stopped at its end (clearing the device's log with -c would rob other consumers)."""

from __future__ import annotations

import contextlib
import socket
import threading

from lab.device.adb import Adb
from lab.device.host_protocol import HostProtocolError, open_service


class LogcatCapture:
    def __init__(self, adb: Adb) -> None:
        self._adb = adb
        self._chunks = bytearray()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.error = ""

    def start(self) -> None:
        try:
            self._sock = open_service(
                self._adb.host,
                self._adb.port,
                self._adb.serial,
                "exec:logcat -v threadtime -T 1",
                timeout=5,
            )
        except (OSError, HostProtocolError) as exc:
            self.error = f"logcat not captured: {exc}"
            return
        self._thread = threading.Thread(target=self._pump, daemon=True, name="logcat")
        self._thread.start()

    def _pump(self) -> None:
        assert self._sock is not None
        self._sock.settimeout(0.5)
        while True:
            try:
                data = self._sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                return
            self._chunks += data

    def text(self) -> str:
        """What was captured so far (the capture goes on)."""
        text = self._chunks.decode(errors="replace")
        return text if text or not self.error else self.error

    def stop(self) -> str:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
            self._sock.close()
        if self._thread is not None:
            self._thread.join(2.0)
        text = self._chunks.decode(errors="replace")
        return text if text or not self.error else self.error
