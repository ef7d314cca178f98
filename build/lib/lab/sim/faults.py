"""Fault knobs a virtual device obeys, set from outside through its control socket."""

from __future__ import annotations

import threading
import time

KINDS = {
    "drop-adb": "close every ADB connection and refuse new ones (until cleared, or --seconds)",
    "stall-shell": "shell commands hang until the fault is cleared or expires",
    "reboot": "reboot the device (transport drops, boot log on the console)",
    "black-screen": "screencap and screenshots return an all-black frame",
    "console-garbage": "spray random bytes on the serial console",
    "slow": "delay every ADB message the device sends (default 200 ms)",
    "slow-agent": "the uiautomator2 agent acts, then answers late (default 5 s): a busy UI",
}


class Faults:
    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._values: dict[str, float] = {}
        self._lock = threading.Condition()

    def set(self, kind: str, seconds: float | None = None, value: float = 0.0) -> None:
        with self._lock:
            self._until[kind] = time.monotonic() + seconds if seconds else float("inf")
            self._values[kind] = value
            self._lock.notify_all()

    def clear(self, kind: str | None = None) -> None:
        with self._lock:
            if kind is None:
                self._until.clear()
            else:
                self._until.pop(kind, None)
            self._lock.notify_all()

    def active(self, kind: str) -> bool:
        with self._lock:
            return self._until.get(kind, 0.0) > time.monotonic()

    def value(self, kind: str, default: float) -> float:
        with self._lock:
            return self._values.get(kind) or default

    def wait_cleared(self, kind: str, cancelled: threading.Event) -> None:
        """Block while `kind` is active (stall-shell), waking when cleared or cancelled."""
        while self.active(kind) and not cancelled.is_set():
            with self._lock:
                self._lock.wait(0.2)

    def snapshot(self) -> dict[str, float | None]:
        with self._lock:
            now = time.monotonic()
            return {
                k: (None if u == float("inf") else round(u - now, 1))
                for k, u in self._until.items()
                if u > now
            }
