"""The device process's handle on its PID 1 (`tosbox init`, see tosbox/tosbox.h): start it in the
device's namespaces, fork shells and app processes there, open files inside the device's
root (so a symlink in /data can never reach the host's files)."""

from __future__ import annotations

import contextlib
import errno as errnos
import os
import select
import signal
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from lab.errors import LabError

SPAWN_PTY = 1
_MAX_MESSAGE = 192 * 1024


class ZygoteGone(OSError):
    """The device's PID 1 is not running (the device is rebooting or stopping)."""

    def __init__(self) -> None:
        super().__init__(errnos.ESHUTDOWN, "the device's init is not running")


class Child:
    """A process forked by init: its pid inside the device and, later, its exit status."""

    def __init__(self, sock: socket.socket, pid: int) -> None:
        self._sock = sock
        self.pid = pid
        self._status: int | None = None
        self._done = threading.Event()
        self._reader = threading.Lock()  # one thread reads the status; others wait for it

    def fileno(self) -> int:
        return self._sock.fileno()

    def wait(self, timeout: float | None = None) -> int | None:
        """The exit code (128+N when killed by signal N); None if still running."""
        if self._done.is_set():
            return self._status
        if not self._reader.acquire(blocking=False):
            self._done.wait(timeout)
            return self._status
        try:
            if self._done.is_set():
                return self._status
            ready, _, _ = select.select([self._sock], [], [], timeout)
            if not ready:
                return None
            try:
                data = _recv_exact_message(self._sock)
            except OSError:
                data = b""
            if len(data) >= 5 and data[:1] == b"X":
                (raw,) = struct.unpack_from("<i", data, 1)
                code = os.waitstatus_to_exitcode(raw)
                self._status = 128 - code if code < 0 else code
            else:
                self._status = 255  # init went away without telling: the device went down
            with contextlib.suppress(OSError):
                self._sock.close()
            self._done.set()
            return self._status
        finally:
            self._reader.release()

    @property
    def running(self) -> bool:
        return self.wait(0) is None

    def hangup(self) -> None:
        """Let go of it: init sends SIGHUP to a shell's process group, SIGKILL to an app.
        (shutdown, not close: a thread may be waiting on the socket; it sees the end.)"""
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)


class Zygote:
    def __init__(self, binary: Path, root: Path, image: Path, socket_path: Path) -> None:
        self.binary = binary
        self.root = root
        self.image = image
        self.socket_path = socket_path
        self._process: subprocess.Popen | None = None
        self._alive_write: int | None = None

    # -- life cycle
    def start(self, log: Path, timeout: float = 10.0) -> None:
        self.socket_path.unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        listener.bind(str(self.socket_path))
        os.chmod(self.socket_path, 0o600)
        listener.listen(64)
        alive_read, self._alive_write = os.pipe()
        with open(log, "ab") as output:
            self._process = subprocess.Popen(
                [
                    "init",
                    str(self.root),
                    str(self.image),
                    str(alive_read),
                    str(listener.fileno()),
                ],
                executable=str(self.binary),
                pass_fds=(alive_read, listener.fileno()),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        os.close(alive_read)
        listener.close()  # init holds it now
        deadline = time.monotonic() + timeout
        while True:  # up once it answers: a kill of pid 0 (no-op) needs a working init
            try:
                self.kill(1, 0)
                return
            except OSError:
                pass
            if self._process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
                self.stop()
                raise LabError(
                    f"the device's init did not start (exit {self._process.returncode}): "
                    f"{tail.strip()}",
                    hint="the lab needs user namespaces "
                    "(sysctl kernel.unprivileged_userns_clone=1)",
                )
            time.sleep(0.005)

    def stop(self, timeout: float = 5.0) -> None:
        """End every process of the device: init (its PID 1) exits when the pipe closes."""
        if self._alive_write is not None:
            os.close(self._alive_write)
            self._alive_write = None
        if self._process is not None:
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait(timeout)
            self._process = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    # -- requests
    def _connect(self) -> socket.socket:
        if not self.running:
            raise ZygoteGone
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            sock.connect(str(self.socket_path))
        except OSError:
            sock.close()
            raise ZygoteGone from None
        return sock

    def spawn(
        self,
        argv: Sequence[str],
        *,
        env: dict[str, str],
        stdio: tuple[int, int, int],
        cwd: str = "/",
        path: str = "/system/bin/sh",
        pty: bool = False,
    ) -> Child:
        strings = [path, cwd, *argv, *(f"{k}={v}" for k, v in env.items())]
        body = b"".join(s.encode() + b"\0" for s in strings)
        header = struct.pack("<cBHII", b"S", SPAWN_PTY if pty else 0, 0, len(argv), len(env))
        if len(header) + len(body) > _MAX_MESSAGE:
            raise OSError(errnos.E2BIG, f"command longer than {_MAX_MESSAGE} bytes")
        return self._fork(header + body, list(stdio))

    def fork_app(self, name: str) -> Child:
        """A process named `name` (a package), as Android's zygote forks an app."""
        return self._fork(b"A" + name.encode() + b"\0", [])

    def _fork(self, request: bytes, fds: list[int]) -> Child:
        sock = self._connect()
        try:
            socket.send_fds(sock, [request], fds)
            reply = _recv_exact_message(sock)
        except OSError:
            sock.close()
            raise ZygoteGone from None
        if reply[:1] == b"P":
            return Child(sock, struct.unpack_from("<i", reply, 1)[0])
        sock.close()
        raise _error(reply)

    def open(self, path: str, flags: int, mode: int = 0o644, as_shell: bool = False) -> int:
        """An fd for `path` resolved inside the device's root; OSError as open(2) fails.
        `as_shell`: with the shell user's rights (file modes apply), not init's."""
        sock = self._connect()
        with sock:
            op = b"o" if as_shell else b"O"
            sock.sendall(op + struct.pack("<II", flags, mode) + path.encode() + b"\0")
            reply, fds, _, _ = socket.recv_fds(sock, 1024, 1)
        if reply[:1] == b"F" and fds:
            return fds[0]
        for fd in fds:
            os.close(fd)
        raise _error(reply, path)

    def mkdirs(self, path: str, mode: int = 0o755, as_shell: bool = False) -> None:
        op = b"m" if as_shell else b"M"
        self._simple(op + struct.pack("<II", 0, mode) + path.encode() + b"\0", path)

    def unlink(self, path: str, as_shell: bool = False) -> None:
        op = b"u" if as_shell else b"U"
        self._simple(op + struct.pack("<II", 0, 0) + path.encode() + b"\0", path)

    def symlink(self, target: str, path: str, as_shell: bool = False) -> None:
        """`path` made a symlink to `target`, replacing a file or link there."""
        op = b"l" if as_shell else b"L"
        body = path.encode() + b"\0" + target.encode() + b"\0"
        self._simple(op + struct.pack("<II", 0, 0) + body, path)

    def kill(self, pid: int, sig: int) -> None:
        self._simple(b"K" + struct.pack("<Ii", pid, sig) + b"-\0", f"pid {pid}")

    def _simple(self, request: bytes, what: str) -> None:
        sock = self._connect()
        with sock:
            sock.sendall(request)
            reply = _recv_exact_message(sock)
        if reply[:1] != b"K":
            raise _error(reply, what)


def _recv_exact_message(sock: socket.socket) -> bytes:
    data = sock.recv(_MAX_MESSAGE)
    if not data:
        raise ZygoteGone
    return data


def _error(reply: bytes, what: str = "") -> OSError:
    if reply[:1] == b"E" and len(reply) >= 5:
        (code,) = struct.unpack_from("<i", reply, 1)
        detail = reply[5:].decode(errors="replace") or what
        return OSError(code, os.strerror(code), detail)
    return ZygoteGone()
