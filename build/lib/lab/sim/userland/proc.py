"""What a framework command (getprop, am, pm, ...) sees when the device's shell runs it:
its arguments, environment and cwd, the caller's stdin/stdout/stderr fds, and files opened
by the caller itself (in its own root, cwd and controlling tty)."""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

Opener = Callable[[str, int, int], int]  # path, flags, mode -> fd (OSError on failure)

_MODES = {
    "rb": os.O_RDONLY,
    "wb": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
    "ab": os.O_WRONLY | os.O_CREAT | os.O_APPEND,
}


class CommandCancelled(Exception):
    """The caller went away (its process died or its stdout closed)."""


@dataclass
class Proc:
    args: list[str]
    env: dict[str, str]
    cwd: str
    stdin_fd: int
    stdout_fd: int
    stderr_fd: int
    opener: Opener
    pid: int = 0  # the caller's pid inside the device
    cancelled: threading.Event = field(default_factory=threading.Event)

    @property
    def name(self) -> str:
        return os.path.basename(self.args[0]) if self.args else ""

    # -- output
    def out(self, data: bytes) -> None:
        self._write(self.stdout_fd, data)

    def err(self, data: bytes) -> None:
        self._write(self.stderr_fd, data)

    def _write(self, fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                written = os.write(fd, view)
            except OSError as exc:  # EPIPE: whoever read our output is gone
                self.cancelled.set()
                raise CommandCancelled(str(exc)) from None
            view = view[written:]

    def print(self, text: str = "", end: str = "\n") -> None:
        self.out((text + end).encode())

    def fail(self, text: str, code: int = 1) -> int:
        self.err(f"{self.name}: {text}\n".encode())
        return code

    # -- input
    def read_stdin(self, limit: int | None = None, timeout: float = 30.0) -> bytes:
        """stdin until its end (or `limit` bytes); stops when nothing comes for `timeout` s."""
        chunks = bytearray()
        while limit is None or len(chunks) < limit:
            ready, _, _ = select.select([self.stdin_fd], [], [], timeout)
            if not ready or self.cancelled.is_set():
                break
            want = 1 << 16 if limit is None else min(1 << 16, limit - len(chunks))
            chunk = os.read(self.stdin_fd, want)
            if not chunk:
                break
            chunks += chunk
        return bytes(chunks)

    # -- files, opened by the caller
    def open(self, path: str, mode: str = "rb") -> BinaryIO:
        """`path` as the caller sees it; OSError (with errno) as open(2) fails there."""
        fd = self.opener(path, _MODES[mode], 0o644)
        return os.fdopen(fd, mode)

    def sleep(self, seconds: float) -> bool:
        """Sleep unless cancelled; True when the full time passed."""
        return not self.cancelled.wait(seconds)
