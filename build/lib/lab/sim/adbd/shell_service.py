"""`shell:` (v1), `shell,v2,...:` (shell protocol: exit code, stderr, stdin, window size)
and `exec:`, as adbd runs them (adb/daemon/services.cpp, shell_service.cpp): the device's
real shell, /system/bin/sh (mksh), forked by the device's init.

Defaults as adbd's: a pty for an interactive shell (no command), raw pipes otherwise;
`raw`/`pty` options override; without the shell protocol stderr goes with stdout.
When the host closes the stream, the shell's process group gets SIGHUP.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import socket
import struct
import termios
import threading

from lab.sim.adbd.packet import MAX_PAYLOAD
from lab.sim.adbd.stream import Stream, StreamClosed, StreamReader
from lab.sim.android.system import AndroidSystem
from lab.sim.userland.zygote import Child

STDIN, STDOUT, STDERR, EXIT, CLOSE_STDIN, WINDOW_SIZE = 0, 1, 2, 3, 4, 5
_CHUNK = 64 * 1024


def parse_shell_service(head: str, command: str) -> tuple[bool, bool, str]:
    """(use a pty, shell protocol, TERM) from `shell[,opt...]` and the command."""
    pty, protocol, term = not command, False, "dumb"
    for option in head.split(",")[1:]:
        if option == "raw":
            pty = False
        elif option == "pty":
            pty = True
        elif option == "v2":
            protocol = True
        elif option.startswith("TERM="):
            term = option[5:]
    return pty, protocol, term


def shell_service(system: AndroidSystem, head: str, command: str):
    pty, protocol, term = parse_shell_service(head, command)
    if protocol:
        return lambda stream: _v2(system, stream, command, pty, term)
    return lambda stream: _v1(system, stream, command, pty, term)


def exec_service(system: AndroidSystem, command: str):
    return lambda stream: _v1(system, stream, command, False, "")


def _argv(command: str) -> list[str]:
    return ["-/system/bin/sh"] if not command else ["/system/bin/sh", "-c", command]


def _env(system: AndroidSystem, term: str) -> dict[str, str]:
    return system.shell_env(TERM=term) if term else system.shell_env()


def _start(
    system: AndroidSystem, stream: Stream, command: str, pty: bool, term: str, split: bool
) -> tuple[Child, int, int | None]:
    """The shell, running: (child, our end of stdin/stdout, our end of stderr or None)."""
    system.faults.wait_cleared("stall-shell", stream.gone)
    if pty:
        ours, theirs = os.openpty()
        stdio = (theirs, theirs, theirs)
        err_ours = err_theirs = None
    else:
        a, b = socket.socketpair()
        ours, theirs = a.detach(), b.detach()
        err_ours = err_theirs = None
        if split:
            c, d = socket.socketpair()
            err_ours, err_theirs = c.detach(), d.detach()
        stdio = (theirs, theirs, err_theirs if err_theirs is not None else theirs)
    try:
        child = system.zygote.spawn(_argv(command), env=_env(system, term), stdio=stdio, pty=pty)
    finally:
        os.close(theirs)
        if err_theirs is not None:
            os.close(err_theirs)
    return child, ours, err_ours


class Channel:
    """Our end of the shell's stdin/stdout. Two threads use it (output pump, stdin pump):
    a write never reaches the fd number after close, when it may belong to another file."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        os.set_blocking(fd, False)
        self._lock = threading.Lock()
        self.closed = False

    def write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            with self._lock:
                if self.closed:
                    raise OSError(9, "closed")
                try:
                    view = view[os.write(self.fd, view) :]
                    continue
                except BlockingIOError:
                    pass
            select.select([], [self.fd], [], 0.5)  # full: wait, then look at `closed` again

    def shutdown_write(self) -> None:
        with self._lock, contextlib.suppress(OSError):
            if not self.closed:
                with socket.socket(fileno=os.dup(self.fd)) as half:
                    half.shutdown(socket.SHUT_WR)

    def set_window(self, winsize: bytes) -> None:
        with self._lock, contextlib.suppress(OSError):
            if not self.closed:
                fcntl.ioctl(self.fd, termios.TIOCSWINSZ, winsize)

    def close(self) -> None:
        with self._lock:
            if not self.closed:
                self.closed = True
                os.close(self.fd)


def _v1(system: AndroidSystem, stream: Stream, command: str, pty: bool, term: str) -> None:
    try:
        child, fd, _ = _start(system, stream, command, pty, term, split=False)
    except OSError as exc:
        with contextlib.suppress(StreamClosed):
            stream.write(f"exec '/system/bin/sh' failed: {exc.strerror}\n".encode())
        return
    channel = Channel(fd)
    threading.Thread(target=_pump_stdin, args=(stream, channel, pty), daemon=True).start()
    try:
        _pump_out(stream, {fd: stream.write})
    finally:
        child.hangup()  # the host gone, or the shell's output ended: SIGHUP what is left
        channel.close()


def _v2(system: AndroidSystem, stream: Stream, command: str, pty: bool, term: str) -> None:
    lock = threading.Lock()

    def packet(kind: int, data: bytes) -> None:
        with lock:
            stream.write(struct.pack("<BI", kind, len(data)) + data)

    try:
        child, fd, err = _start(system, stream, command, pty, term, split=not pty)
    except OSError as exc:
        with contextlib.suppress(StreamClosed):
            packet(STDERR, f"exec '/system/bin/sh' failed: {exc.strerror}\n".encode())
            packet(EXIT, b"\x01")
        return
    channel = Channel(fd)
    threading.Thread(target=_demux_v2, args=(stream, channel, pty), daemon=True).start()
    outputs = {fd: lambda d: packet(STDOUT, d)}
    if err is not None:
        outputs[err] = lambda d: packet(STDERR, d)
    try:
        _pump_out(stream, outputs)
        status = child.wait(None if not stream.gone.is_set() else 0)
        if status is not None:
            with contextlib.suppress(StreamClosed):
                packet(EXIT, bytes([status & 0xFF]))
    finally:
        child.hangup()
        channel.close()
        if err is not None:
            os.close(err)


def _pump_out(stream: Stream, outputs: dict) -> None:
    """Copy each fd to its writer until all are at their end (or the host goes)."""
    open_fds = set(outputs)
    while open_fds and not stream.gone.is_set():
        ready, _, _ = select.select(list(open_fds), [], [], 0.5)
        for fd in ready:
            try:
                data = os.read(fd, _CHUNK)
            except BlockingIOError:
                continue
            except OSError:  # EIO: a pty whose last holder closed
                data = b""
            if not data:
                open_fds.discard(fd)
                continue
            try:
                outputs[fd](data)
            except StreamClosed:
                return


def _pump_stdin(stream: Stream, channel: Channel, pty: bool) -> None:
    """v1/exec: what the host writes is the shell's stdin; its end closes stdin."""
    try:
        while True:
            data = stream.read()
            if not data:
                break
            channel.write_all(data)
    except (StreamClosed, OSError):
        pass
    finally:
        if not pty:
            channel.shutdown_write()


def _demux_v2(stream: Stream, channel: Channel, pty: bool) -> None:
    """Shell protocol v2 packets from the host. A packet longer than adbd's buffer
    (MAX_PAYLOAD) ends the stream, as adbd does: its length is the host's word, and
    reading it whole would hold up to 4 GiB."""
    reader = StreamReader(stream)
    try:
        while True:
            kind, length = struct.unpack("<BI", reader.read_exact(5))
            if length > MAX_PAYLOAD:
                stream.close()
                return
            data = reader.read_exact(length) if length else b""
            if kind == STDIN:
                channel.write_all(data)
            elif kind == CLOSE_STDIN and not pty:  # a pty cannot close only its input
                channel.shutdown_write()
            elif kind == WINDOW_SIZE and pty:
                _set_window(channel, data)
    except (StreamClosed, OSError, struct.error):
        pass


def _set_window(channel: Channel, data: bytes) -> None:
    """'ROWSxCOLS,XPIXELSxYPIXELS' from the host (adb's window-size packet)."""
    try:
        rows, cols, xpixels, ypixels = (int(v) for v in data.decode().replace(",", "x").split("x"))
    except ValueError:
        return
    channel.set_window(struct.pack("HHHH", rows, cols, xpixels, ypixels))
