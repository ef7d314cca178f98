"""ADB's file service (`sync:`) spoken by the harness itself, with one deadline for the
whole transfer and 64 KiB pieces both ways (adbd's SYNC_DATA_MAX), so a push, pull or read
is bounded in time and memory whatever the file's size.

adbutils' sync bounds each socket read instead (a device trickling bytes keeps a pull alive
forever) and reads a file into memory; hence this small client. Protocol: SEND
`path,mode` then DATA* DONE(mtime) -> OKAY|FAIL; RECV path -> DATA* DONE|FAIL; STAT.
"""

from __future__ import annotations

import contextlib
import os
import struct
import time
from pathlib import Path

from lab.device.host_protocol import open_service, recv_before

CHUNK = 64 * 1024


class SyncFailure(Exception):
    """The device refused (FAIL) with this message."""


class Sync:
    """One `sync:` stream; every call is bounded by the deadline it is given."""

    def __init__(self, host: str, port: int, serial: str, deadline: float) -> None:
        self._deadline = deadline
        self._sock = open_service(host, port, serial, "sync:", _remaining(deadline))
        self._buffer = bytearray()

    def __enter__(self) -> Sync:
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self._send(b"QUIT" + struct.pack("<I", 0))
        self._sock.close()

    # -- wire
    def _send(self, data: bytes) -> None:
        self._sock.settimeout(_remaining(self._deadline))
        self._sock.sendall(data)

    def _exact(self, size: int) -> bytes:
        while len(self._buffer) < size:
            chunk = recv_before(self._sock, self._deadline)
            if not chunk:
                raise ConnectionResetError("the device closed the file service")
            self._buffer += chunk
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def _reply(self) -> tuple[bytes, int]:
        tag, value = struct.unpack("<4sI", self._exact(8))
        if tag == b"FAIL":
            raise SyncFailure(self._exact(value).decode(errors="replace"))
        return tag, value

    # -- operations
    def push(self, local: Path, remote: str, mode: int = 0o644) -> int:
        """Send `local` to `remote`; the bytes sent."""
        path = f"{remote},{0o100000 | mode}".encode()
        self._send(b"SEND" + struct.pack("<I", len(path)) + path)
        sent = 0
        with open(local, "rb") as handle:
            while chunk := handle.read(CHUNK):
                self._send(b"DATA" + struct.pack("<I", len(chunk)) + chunk)
                sent += len(chunk)
        self._send(b"DONE" + struct.pack("<I", int(os.stat(local).st_mtime)))
        tag, _ = self._reply()
        if tag != b"OKAY":
            raise SyncFailure(f"unexpected {tag!r} after SEND")
        return sent

    def pull(self, remote: str, local: Path) -> int:
        """Receive `remote` into `local` (removed again if the transfer fails)."""
        try:
            with open(local, "wb") as handle:
                return self._receive(remote, handle.write, limit=None)
        except BaseException:
            local.unlink(missing_ok=True)
            raise

    def read(self, remote: str, limit: int) -> bytes:
        """The content of `remote`; SyncFailure if it is larger than `limit` bytes."""
        data = bytearray()
        self._receive(remote, data.extend, limit)
        return bytes(data)

    def _receive(self, remote: str, sink, limit: int | None) -> int:
        path = remote.encode()
        self._send(b"RECV" + struct.pack("<I", len(path)) + path)
        total = 0
        while True:
            tag, size = self._reply()
            if tag == b"DONE":
                return total
            if tag != b"DATA" or size > CHUNK:
                raise SyncFailure(f"unexpected {tag!r} ({size} bytes) during RECV")
            total += size
            if limit is not None and total > limit:
                raise SyncFailure(f"{remote} is larger than {limit} bytes")
            sink(self._exact(size))

    def stat(self, remote: str) -> tuple[int, int, int]:
        """(mode, size, mtime); mode 0 when the path does not exist."""
        path = remote.encode()
        self._send(b"STAT" + struct.pack("<I", len(path)) + path)
        tag, mode = struct.unpack("<4sI", self._exact(8))
        size, mtime = struct.unpack("<II", self._exact(8))
        if tag != b"STAT":
            raise SyncFailure(f"unexpected {tag!r} after STAT")
        return mode, size, mtime


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    return left
