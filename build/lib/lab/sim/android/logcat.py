"""The log buffer behind `logcat`: entries from the system and the apps, with filters."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

PRIORITIES = "VDIWEF"


@dataclass(frozen=True)
class Entry:
    seq: int
    when: float
    pid: int
    tid: int
    priority: str
    tag: str
    message: str

    def format(self, style: str = "threadtime") -> str:
        stamp = time.strftime("%m-%d %H:%M:%S", time.localtime(self.when))
        millis = int(self.when * 1000) % 1000
        if style == "brief":
            return f"{self.priority}/{self.tag}({self.pid:5d}): {self.message}"
        if style == "tag":
            return f"{self.priority}/{self.tag}: {self.message}"
        if style == "raw":
            return self.message
        if style == "time":
            return f"{stamp}.{millis:03d} {self.priority}/{self.tag}({self.pid:5d}): {self.message}"
        return (
            f"{stamp}.{millis:03d} {self.pid:5d} {self.tid:5d} {self.priority} "
            f"{self.tag:<8}: {self.message}"
        )


class LogFilter:
    """`TAG:P` specs and a default priority (`*:S` silences everything not named)."""

    def __init__(self, specs: list[str], default: str = "V") -> None:
        self.default = default
        self.tags: dict[str, str] = {}
        for spec in specs:
            tag, _, priority = spec.partition(":")
            priority = (priority or "V").upper()[:1]
            if priority not in PRIORITIES + "S":
                raise ValueError(f"invalid filter spec {spec!r}")
            if tag == "*":
                self.default = priority
            else:
                self.tags[tag] = priority

    def accepts(self, entry: Entry) -> bool:
        floor = self.tags.get(entry.tag, self.default)
        if floor == "S":
            return False
        return PRIORITIES.index(entry.priority) >= PRIORITIES.index(floor)


class LogBuffer:
    def __init__(self, capacity: int = 20000) -> None:
        self._entries: deque[Entry] = deque(maxlen=capacity)
        self._seq = 0
        self._changed = threading.Condition()

    def log(self, priority: str, tag: str, message: str, pid: int = 1000) -> None:
        with self._changed:
            self._seq += 1
            self._entries.append(Entry(self._seq, time.time(), pid, pid, priority, tag, message))
            self._changed.notify_all()

    def clear(self) -> None:
        with self._changed:
            self._entries.clear()

    def since(self, seq: int) -> list[Entry]:
        with self._changed:
            return [e for e in self._entries if e.seq > seq]

    def snapshot(self) -> tuple[list[Entry], int]:
        """The entries now and the sequence number to follow on from, taken at one instant."""
        with self._changed:
            return list(self._entries), self._seq

    def wait(self, seq: int, timeout: float) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self._seq > seq, timeout)
