"""A minimal raw ADB client for protocol tests: sends exactly the bytes a test wants."""

from __future__ import annotations

import socket
import struct

CNXN, OPEN, OKAY, CLSE, WRTE, AUTH = (
    0x4E584E43,
    0x4E45504F,
    0x59414B4F,
    0x45534C43,
    0x45545257,
    0x48545541,
)


def packet(
    command: int,
    arg0: int,
    arg1: int,
    data: bytes = b"",
    magic: int | None = None,
    length: int | None = None,
) -> bytes:
    return (
        struct.pack(
            "<6I",
            command,
            arg0,
            arg1,
            len(data) if length is None else length,
            sum(data) & 0xFFFFFFFF,
            command ^ 0xFFFFFFFF if magic is None else magic,
        )
        + data
    )


def hello() -> bytes:
    return packet(CNXN, 0x01000001, 256 * 1024, b"host::features=shell_v2,cmd\0")


def read_packet(sock: socket.socket) -> tuple[int, int, int, bytes] | None:
    header = _exact(sock, 24)
    if header is None:
        return None
    command, arg0, arg1, length, _, _ = struct.unpack("<6I", header)
    data = _exact(sock, length) if length else b""
    return command, arg0, arg1, data or b""


def _exact(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        try:
            chunk = sock.recv(size - len(data))
        except (TimeoutError, ConnectionResetError):
            return None
        if not chunk:
            return None
        data += chunk
    return data


def connect(port: int, timeout: float = 2.0) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.settimeout(timeout)
    return sock


def shell(port: int, command: str) -> bytes:
    """Run `shell:` over a fresh raw connection; the output up to the stream's close."""
    with connect(port) as sock:
        sock.sendall(hello())
        assert read_packet(sock)[0] == CNXN
        sock.sendall(packet(OPEN, 1, 0, f"shell:{command}\0".encode()))
        out = b""
        while True:
            reply = read_packet(sock)
            if reply is None or reply[0] == CLSE:
                return out
            if reply[0] == WRTE:
                out += reply[3]
                sock.sendall(packet(OKAY, 1, reply[1]))
