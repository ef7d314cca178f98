"""Talk to a device service through the adb server's host protocol, on one socket.

adbutils covers most needs, but has no shell v2 (its `shell2` fakes the exit code with an
`echo` marker and merges stderr into stdout) and spends ~10 ms per call on a sleep in
close() and an extra connection to ask the server version. For shell the harness speaks
the protocol itself: `host:transport:SERIAL`, then the service.
"""

from __future__ import annotations

import contextlib
import socket
import time


class HostProtocolError(Exception):
    """The adb server refused (FAIL) with this message."""


def open_service(host: str, port: int, serial: str, service: str, timeout: float) -> socket.socket:
    """A socket on which `service` of device `serial` is open; raises OSError/HostProtocolError."""
    sock = socket.create_connection((host, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.settimeout(timeout)
    try:
        for request in (f"host:transport:{serial}", service):
            sock.sendall(f"{len(request):04x}{request}".encode())
            _expect_okay(sock)
    except BaseException:
        sock.close()
        raise
    return sock


def host_query(host: str, port: int, request: str, timeout: float) -> str:
    """A `host:` request the server answers itself (e.g. `host:devices`)."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(f"{len(request):04x}{request}".encode())
        _expect_okay(sock)
        length = int(_exact(sock, 4), 16)
        return _exact(sock, length).decode(errors="replace")


def _expect_okay(sock: socket.socket) -> None:
    status = _exact(sock, 4)
    _ack_now(sock)
    if status == b"OKAY":
        return
    if status == b"FAIL":
        length = int(_exact(sock, 4), 16)
        raise HostProtocolError(_exact(sock, length).decode(errors="replace"))
    raise HostProtocolError(f"unexpected reply {status!r}")


def _ack_now(sock: socket.socket) -> None:
    """Acknowledge what came at once. The adb server writes OKAY and then the service's
    first output as two small segments on a socket with Nagle on: the output waits for our
    ACK of OKAY, which Linux delays by 40 ms. A process that exits flushes it with its close;
    a streaming one (`logcat -T`, `sh -c 'echo; sleep'`) showed its first line 44 ms late.
    TCP_QUICKACK holds for the next ACK only (Linux); elsewhere the 40 ms stay."""
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)


def _exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionResetError("the adb server closed the connection")
        data += chunk
    return data


def recv_before(sock: socket.socket, deadline: float) -> bytes:
    """The next chunk (b"" when the service closed); TimeoutError once `deadline` passed."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    sock.settimeout(remaining)
    return sock.recv(1 << 20)


def read_until_closed(sock: socket.socket, deadline: float, limit: int = 512 << 20) -> bytes:
    """Everything until the service closes; TimeoutError at `deadline`."""
    chunks = bytearray()
    while True:
        chunk = recv_before(sock, deadline)
        if not chunk:
            return bytes(chunks)
        chunks += chunk
        if len(chunks) > limit:
            raise OverflowError(f"more than {limit} bytes")
