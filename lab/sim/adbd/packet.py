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


def header(command: int, arg0: int, arg1: int, data: bytes = b"") -> bytes:
    # The checksum is left 0, as adbd does for hosts of version 0x01000001 and later: they
    # ignore it, and summing every byte in Python costs ~8 ms per MiB.
    return HEADER.pack(command, arg0, arg1, len(data), 0, command ^ 0xFFFFFFFF)


def encode(command: int, arg0: int, arg1: int, data: bytes = b"") -> bytes:
    return header(command, arg0, arg1, data) + data


def read_message(recv_exact: Callable[[int], bytes], max_payload: int = MAX_PAYLOAD) -> Message:
    """Read one message; raise ProtocolError on a malformed one, EOFError at the end."""
    command, arg0, arg1, length, _checksum, magic = HEADER.unpack(recv_exact(HEADER.size))
    if command not in NAMES:
        raise ProtocolError(f"unknown command 0x{command:08x}")
    if magic != command ^ 0xFFFFFFFF:
        raise ProtocolError(f"bad magic 0x{magic:08x} for {NAMES[command]}")
    if length > max_payload:
        raise ProtocolError(f"{NAMES[command]} payload of {length} bytes exceeds {max_payload}")
    # Checksums are not checked: adb since 1.0.0x01000001 sends 0 there.
    return Message(command, arg0, arg1, recv_exact(length) if length else b"")
