"""ADB messages: a 24-byte little-endian header `<6I` and a payload."""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

A_SYNC = 0x434E5953
A_CNXN = 0x4E584E43
A_OPEN = 0x4E45504F
A_OKAY = 0x59414B4F
A_CLSE = 0x45534C43
A_WRTE = 0x45545257
A_AUTH = 0x48545541
A_STLS = 0x534C5453

NAMES = {
    A_SYNC: "SYNC",
    A_CNXN: "CNXN",
    A_OPEN: "OPEN",
    A_OKAY: "OKAY",
    A_CLSE: "CLSE",
    A_WRTE: "WRTE",
    A_AUTH: "AUTH",
    A_STLS: "STLS",
}

VERSION = 0x01000001
VERSION_MIN = 0x01000000  # hosts this old (adb-shell, old adb) still use checksums
SKIP_CHECKSUM = 0x01000001
MAX_PAYLOAD = 1024 * 1024
HEADER = struct.Struct("<6I")

AUTH_TOKEN = 1
AUTH_SIGNATURE = 2
AUTH_RSAPUBLICKEY = 3


class ProtocolError(Exception):
    """The peer broke the protocol; the connection is closed, the device goes on."""


@dataclass(frozen=True)
class Message:
    command: int
    arg0: int
    arg1: int
    data: bytes = b""

    @property
    def name(self) -> str:
        return NAMES.get(self.command, f"0x{self.command:08x}")


def checksum(data: bytes) -> int:
    return sum(data) & 0xFFFFFFFF


def header(
    command: int, arg0: int, arg1: int, data: bytes = b"", with_checksum: bool = False
) -> bytes:
    """adbd leaves the checksum 0 for hosts of version 0x01000001 and later (they ignore
    it; summing every byte costs ~8 ms per MiB here) and fills it in for older ones."""
    total = checksum(data) if with_checksum and data else 0
    return HEADER.pack(command, arg0, arg1, len(data), total, command ^ 0xFFFFFFFF)


def encode(
    command: int, arg0: int, arg1: int, data: bytes = b"", with_checksum: bool = False
) -> bytes:
    return header(command, arg0, arg1, data, with_checksum) + data


def read_message(
    recv_exact: Callable[[int], bytes],
    max_payload: int = MAX_PAYLOAD,
    check: Callable[[], bool] = lambda: False,
) -> Message:
    """Read one message; ProtocolError on a malformed one, EOFError at the end. `check()`
    says whether this host's checksums count (a host older than 0x01000001)."""
    command, arg0, arg1, length, total, magic = HEADER.unpack(recv_exact(HEADER.size))
    if command not in NAMES:
        raise ProtocolError(f"unknown command 0x{command:08x}")
    if magic != command ^ 0xFFFFFFFF:
        raise ProtocolError(f"bad magic 0x{magic:08x} for {NAMES[command]}")
    if length > max_payload:
        raise ProtocolError(f"{NAMES[command]} payload of {length} bytes exceeds {max_payload}")
    data = recv_exact(length) if length else b""
    summed = check() or (command == A_CNXN and arg0 < SKIP_CHECKSUM)
    if data and summed and total != checksum(data):
        raise ProtocolError(f"bad checksum on {NAMES[command]}")
    return Message(command, arg0, arg1, data)
