"""What a command sees when it runs: arguments, environment, stdin, stdout, stderr."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


class Input(Protocol):
    def read(self, timeout: float | None = None) -> bytes:
        """The next chunk; b"" at the end."""


class BytesInput:
    def __init__(self, data: bytes = b"") -> None:
        self._data = data

    def read(self, timeout: float | None = None) -> bytes:
        data, self._data = self._data, b""
        return data


@dataclass
class Proc:
    args: list[str]
    env: dict[str, str]
    stdin: Input
    out: Callable[[bytes], None]
    err: Callable[[bytes], None]
    cwd: str = "/"
    cancelled: threading.Event = field(default_factory=threading.Event)

    @property
    def name(self) -> str:
        return self.args[0] if self.args else ""

    def print(self, text: str = "", end: str = "\n") -> None:
        self.out((text + end).encode())

    def fail(self, text: str, code: int = 1) -> int:
        self.err(f"{self.name}: {text}\n".encode())
        return code

    def read_stdin(self, limit: int | None = None) -> bytes:
        chunks = bytearray()
        while limit is None or len(chunks) < limit:
            chunk = self.stdin.read(30.0)
            if not chunk:
                break
            chunks += chunk
        return bytes(chunks if limit is None else chunks[:limit])

    def sleep(self, seconds: float) -> bool:
        """Sleep unless cancelled; True when the full time passed."""
        return not self.cancelled.wait(seconds)


Command = Callable[[Proc], int]
