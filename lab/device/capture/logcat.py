"""Logcat of a device for as long as the harness holds it: a streaming `logcat` whose lines
go to a bounded capture. Paused around a reboot and resumed with `-T <last line's time>`
(as Mobly's logcat service does), so lines logged meanwhile are not lost; a stream the
device dropped by itself (an unexpected reboot) is resumed the same way."""

from __future__ import annotations

import contextlib
import re
import socket
import threading

from lab.device.adb import Adb
from lab.device.capture.capture import Capture
from lab.device.host_protocol import HostProtocolError, open_service
from lab.threads import background

_STAMP = re.compile(rb"^(\d\d-\d\d \d\d:\d\d:\d\d\.\d\d\d) ", re.M)


class _Stream:
    """One run of the service (start to stop): its own socket and its own stop flag, so
    a run still winding down can never read into the next one's place."""

    def __init__(self) -> None:
        self.wanted = threading.Event()
        self.wanted.set()
        self.sock: socket.socket | None = None
        self.thread: threading.Thread | None = None

    def close(self) -> None:
        self.wanted.clear()
        sock, self.sock = self.sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


class LogcatService:
    name = "logcat"

    def __init__(self, adb: Adb, limit: int = 8 << 20) -> None:
        self._adb = adb
        self.capture = Capture(limit)
        self._run: _Stream | None = None
        self._lock = threading.Lock()  # the capture position and stamps between runs
        self._last_stamp: bytes | None = None
        self._partial = b""
        self.error = ""

    @property
    def is_alive(self) -> bool:
        run = self._run
        return run is not None and run.thread is not None and run.thread.is_alive()

    def start(self) -> None:
        """Streaming once this returns: the first line (the device's last one, `-T 1`) is
        read here, so a resume after an early pause knows where to start from."""
        if self._run is not None:
            return
        run = self._run = _Stream()
        try:
            run.sock = self._connect()
            self._read(run, until_first_line=True)
        except (OSError, HostProtocolError) as exc:
            self.error = f"logcat not captured: {exc}"
        run.thread = background(self._pump, name="logcat", args=(run,))
        run.thread.start()

    def stop(self) -> None:
        run, self._run = self._run, None
        if run is not None:
            run.close()
            if run.thread is not None:
                run.thread.join(2.0)

    def pause(self) -> None:
        self.stop()

    def resume(self) -> None:
        self.start()

    def mark(self) -> int:
        return self.capture.position

    def excerpt(self, since: int) -> str:
        text = self.capture.since(since)
        return text if text or not self.error else self.error

    # -- the stream
    def _connect(self) -> socket.socket:
        if self._last_stamp is None:
            command = "exec:logcat -v threadtime -T 1"
        else:
            command = f"exec:logcat -v threadtime -T '{self._last_stamp.decode()}'"
        return open_service(self._adb.host, self._adb.port, self._adb.serial, command, timeout=5)

    def _pump(self, run: _Stream) -> None:
        while run.wanted.is_set():
            try:
                if run.sock is None:
                    sock = self._connect()
                    if not run.wanted.is_set():  # stopped while connecting
                        sock.close()
                        return
                    run.sock = sock
            except (OSError, HostProtocolError) as exc:
                self.error = f"logcat not captured: {exc}"
                run.wanted.wait(0.5)  # the device is away (rebooting?): try again until stopped
                continue
            self._read(run)
            sock, run.sock = run.sock, None
            if sock is not None:
                sock.close()
            if run.wanted.is_set():  # the device ended the stream: resume from the last line
                self.capture.append(b"--------- logcat stream ended (device rebooted?); resumed\n")
                run.wanted.wait(0.3)

    def _read(self, run: _Stream, until_first_line: bool = False) -> None:
        sock = run.sock
        if sock is None:
            return
        try:
            sock.settimeout(0.5)
        except OSError:  # stop() closed it meanwhile
            return
        skipping = self._last_stamp is not None  # -T TIME repeats lines of that instant
        self._partial = b""
        while run.wanted.is_set():
            if until_first_line and self._last_stamp is not None:
                return
            try:
                data = sock.recv(65536)
            except TimeoutError:
                if until_first_line:
                    return  # an empty log: nothing to start from
                continue
            except OSError:
                return
            if not data:
                return
            lines = (self._partial + data).split(b"\n")
            self._partial = lines.pop()
            for line in lines:
                stamp = _STAMP.match(line)
                if skipping:
                    if stamp and self._last_stamp and stamp.group(1) <= self._last_stamp:
                        continue  # seen already (up to the last line's time)
                    skipping = False
                if stamp:
                    self._last_stamp = stamp.group(1)
                self.capture.append(line + b"\n")
