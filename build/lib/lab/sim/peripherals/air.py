"""The reader's side of the RF field: the device's `nfc.sock` (lab.sim.android.nfc).
No device there (down, rebooting, out of range) is simply no card."""

from __future__ import annotations

import contextlib
import socket
import struct
from pathlib import Path

POLL, FRAME, FIELD_OFF = 0x01, 0x02, 0x03


class Air:
    def __init__(self, path: Path, timeout: float = 0.5) -> None:
        self.path = path
        self.timeout = timeout
        self._sock: socket.socket | None = None

    def _connected(self) -> socket.socket | None:
        if self._sock is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            try:
                sock.connect(str(self.path))
            except OSError:
                sock.close()
                return None
            self._sock = sock
        return self._sock

    def _ask(self, payload: bytes) -> bytes:
        """The device's answer, or b"" when there is none (no device, no card, timeout)."""
        sock = self._connected()
        if sock is None:
            return b""
        try:
            sock.sendall(struct.pack(">H", len(payload)) + payload)
            head = self._exact(sock, 2)
            (length,) = struct.unpack(">H", head)
            return self._exact(sock, length)
        except (OSError, struct.error, ConnectionError):
            self.close()
            return b""

    @staticmethod
    def _exact(sock: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = sock.recv(size - len(data))
            if not chunk:
                raise ConnectionError("the device closed the field")
            data += chunk
        return data

    def poll(self) -> tuple[bytes, int, bytes] | None:
        """(ATQA, SAK, UID) of the card in the field, or None."""
        answer = self._ask(bytes([POLL]))
        if len(answer) < 5 or answer[0] != POLL:
            return None
        atqa, sak, size = answer[1:3], answer[3], answer[4]
        return atqa, sak, answer[5 : 5 + size]

    def frame(self, data: bytes) -> bytes | None:
        """The card's answer to a frame, or None (no answer: a timeout on the air)."""
        answer = self._ask(bytes([FRAME]) + data)
        if not answer or answer[0] != FRAME:
            return None
        return answer[1:]

    def field_off(self) -> None:
        self._ask(bytes([FIELD_OFF]))

    def close(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
            self._sock = None
