"""A bounded capture buffer: bytes appended at the end, the oldest dropped beyond a cap,
positions absolute (so an excerpt since a mark says how much of it was dropped)."""

from __future__ import annotations

import threading

from lab.redaction import redact


class Capture:
    def __init__(self, limit: int = 8 << 20) -> None:
        self._limit = limit
        self._data = bytearray()
        self._dropped = 0  # bytes cut off the front so far
        self._lock = threading.Lock()

    def append(self, data: bytes) -> None:
        with self._lock:
            self._data += data
            over = len(self._data) - self._limit
            if over > 0:
                del self._data[:over]
                self._dropped += over

    @property
    def position(self) -> int:
        with self._lock:
            return self._dropped + len(self._data)

    def since(self, position: int) -> str:
        with self._lock:
            start = position - self._dropped
            text = bytes(self._data[max(0, start) :]).decode(errors="replace")
        text = redact(text)  # read whole, so a secret split across appends is still caught
        if start < 0:
            return f"[{-start} bytes dropped: the capture keeps the last {self._limit}]\n" + text
        return text
