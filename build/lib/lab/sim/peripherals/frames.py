"""PN532 host-link frames (NXP UM0701 6.2.1): normal and extended information frames,
ACK, NACK and the syntax-error frame; a parser that finds them in the UART byte stream."""

from __future__ import annotations

from dataclasses import dataclass

START = b"\x00\x00\xff"
ACK = b"\x00\x00\xff\x00\xff\x00"
NACK = b"\x00\x00\xff\xff\x00\x00"
ERROR = b"\x00\x00\xff\x01\xff\x7f\x81\x00"  # application-level error: syntax error
HOST, CHIP = 0xD4, 0xD5  # TFI: host -> PN532, PN532 -> host


@dataclass(frozen=True)
class Parsed:
    kind: str  # command | ack | nack | bad (checksum: never acknowledged)
    tfi: int = 0
    data: bytes = b""  # PD0.. (the command code first)


def encode(data: bytes, tfi: int = CHIP) -> bytes:
    """An information frame around TFI + data; extended when it does not fit in 255."""
    body = bytes([tfi]) + data
    dcs = (-sum(body)) & 0xFF
    if len(body) <= 255:
        head = START + bytes([len(body), (-len(body)) & 0xFF])
    else:
        size = len(body).to_bytes(2, "big")
        head = START + b"\xff\xff" + size + bytes([(-sum(size)) & 0xFF])
    return head + body + bytes([dcs, 0x00])


def parse(buffer: bytearray) -> tuple[Parsed | None, int]:
    """The first frame in `buffer` and how many bytes it used; (None, n) skips n bytes of
    preamble or noise; (None, 0) waits for more."""
    start = buffer.find(START)
    if start < 0:
        # keep a possible partial start code at the end
        keep = 2 if buffer.endswith(b"\x00\x00") else (1 if buffer.endswith(b"\x00") else 0)
        return None, len(buffer) - keep
    if start > 0:
        return None, start
    rest = buffer[3:]
    if len(rest) < 2:
        return None, 0
    if rest[:2] == b"\x00\xff":
        return (Parsed("ack"), 6) if len(rest) >= 3 else (None, 0)
    if rest[:2] == b"\xff\x00":
        return (Parsed("nack"), 6) if len(rest) >= 3 else (None, 0)
    if rest[:2] == b"\xff\xff":  # extended: LENm LENl LCS
        if len(rest) < 5:
            return None, 0
        size = int.from_bytes(rest[2:4], "big")
        if (rest[2] + rest[3] + rest[4]) & 0xFF:
            return Parsed("bad"), 8
        head = 8
    else:
        size = rest[0]
        if (rest[0] + rest[1]) & 0xFF:
            return Parsed("bad"), 5
        head = 5
    total = head + size + 2  # + DCS + postamble
    if len(buffer) < total:
        return None, 0
    body = bytes(buffer[head : head + size])
    dcs = buffer[head + size]
    if not body or (sum(body) + dcs) & 0xFF:
        return Parsed("bad"), total
    return Parsed("command", body[0], body[1:]), total
