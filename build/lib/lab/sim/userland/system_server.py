"""The device's system server as its shell commands reach it: /dev/socket/tos_system inside
the device, where each `tosbox` client (getprop, am, pm, ...) hands over its argv, cwd,
environment and stdio fds, as a binder client reaches system_server on Android.

A command runs in a thread of the device process; it ends early (cancelled) when its
caller dies, which the socket shows as a hang-up.
"""

from __future__ import annotations

import contextlib
import errno as errnos
import logging
import os
import select
import socket
import struct
import threading
from collections.abc import Callable
from pathlib import Path

from lab.sim.userland.proc import CommandCancelled, Proc

log = logging.getLogger("system_server")
_MAX_MESSAGE = 192 * 1024

Runner = Callable[[Proc], int]


class SystemServer:
    def __init__(self, socket_path: Path, run: Runner) -> None:
        self.socket_path = socket_path
        self._run = run
        self._listener: socket.socket | None = None

    def start(self) -> None:
        self.socket_path.parent.mkdir(parents=True, exist_ok=True)
        self.socket_path.unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        listener.bind(str(self.socket_path))
        os.chmod(self.socket_path, 0o666)  # any process of the device may call it
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True, name="binder").start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        self.socket_path.unlink(missing_ok=True)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(
                target=self._serve, args=(conn,), daemon=True, name="binder-call"
            ).start()

    def _serve(self, conn: socket.socket) -> None:
        fds: list[int] = []
        try:
            message, fds, _, _ = socket.recv_fds(conn, _MAX_MESSAGE, 3)
            proc = _parse(message, fds, _Caller(conn))
        except (OSError, ValueError) as exc:
            log.warning("bad call on %s: %s", self.socket_path.name, exc)
            for fd in fds:
                os.close(fd)
            conn.close()
            return
        watcher = threading.Thread(
            target=_watch_hangup, args=(conn, proc.cancelled), daemon=True, name="binder-watch"
        )
        watcher.start()
        code = 1
        try:
            code = self._run(proc)
        except CommandCancelled:
            code = 141  # as a process killed by SIGPIPE
        except Exception:
            log.exception("command %r failed", proc.args)
            with contextlib.suppress(CommandCancelled):
                proc.err(f"{proc.name}: internal error (see the device log)\n".encode())
            code = 1
        finally:
            for fd in fds:
                os.close(fd)
            with contextlib.suppress(OSError):
                conn.send(b"X" + struct.pack("<i", code))
            proc.cancelled.set()  # also ends the watcher
            conn.close()


class _Caller:
    """Asks the calling process to open a file in its own context (cwd, root, tty)."""

    def __init__(self, conn: socket.socket) -> None:
        self._conn = conn
        self._lock = threading.Lock()

    def __call__(self, path: str, flags: int, mode: int) -> int:
        with self._lock:
            self._conn.send(b"O" + struct.pack("<II", flags, mode) + path.encode() + b"\0")
            reply, fds, _, _ = socket.recv_fds(self._conn, 1024, 1)
        if reply[:1] == b"F" and fds:
            return fds[0]
        for fd in fds:
            os.close(fd)
        code = struct.unpack_from("<i", reply, 1)[0] if len(reply) >= 5 else errnos.EIO
        raise OSError(code, os.strerror(code), path)


def _parse(message: bytes, fds: list[int], opener: _Caller) -> Proc:
    if message[:1] != b"C" or len(message) < 16 or len(fds) != 3:
        raise ValueError("not a command call")
    pid, argc, envc = struct.unpack_from("<III", message, 4)
    strings = message[16:].split(b"\0")
    if len(strings) < 1 + argc + envc or argc == 0:
        raise ValueError("truncated command call")
    text = [s.decode(errors="replace") for s in strings]
    cwd, args = text[0], text[1 : 1 + argc]
    env = dict(e.split("=", 1) for e in text[1 + argc : 1 + argc + envc] if "=" in e)
    return Proc(args, env, cwd, fds[0], fds[1], fds[2], opener, pid)


def _watch_hangup(conn: socket.socket, cancelled: threading.Event) -> None:
    """The caller died (killed, or the shell that ran it hung up): cancel the command."""
    poller = select.poll()
    with contextlib.suppress(OSError, ValueError):
        poller.register(conn, select.POLLRDHUP)
        while not cancelled.is_set():
            for _, events in poller.poll(200):
                if events & (select.POLLHUP | select.POLLRDHUP | select.POLLERR | select.POLLNVAL):
                    cancelled.set()
                    return
