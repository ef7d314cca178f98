"""Running apps as processes of the device: forked by its init under the package's name,
so `ps -A`, `pidof`, `dumpsys activity` and `am force-stop` all see the same thing. A
process killed from the shell dies for the system too (its activities go away)."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable

from lab.sim.userland.zygote import Child, Zygote

log = logging.getLogger("processes")

# what a booted device runs besides apps (the names ps shows on a device)
SYSTEM_PROCESSES = ("logd", "servicemanager", "surfaceflinger", "system_server", "adbd")


class ProcessTable:
    def __init__(self, zygote: Zygote, on_death: Callable[[str, int], None]) -> None:
        self._zygote = zygote
        self._on_death = on_death
        self._children: dict[str, Child] = {}
        self._stopping: set[int] = set()
        self._lock = threading.Lock()

    def start(self, name: str) -> int:
        """The pid of process `name`, forked now if it is not running."""
        with self._lock:
            child = self._children.get(name)
            if child is not None and child.running:
                return child.pid
            child = self._zygote.fork_app(name)
            self._children[name] = child
        threading.Thread(
            target=self._watch, args=(name, child), daemon=True, name=f"proc-{name[:20]}"
        ).start()
        return child.pid

    def pid_of(self, name: str) -> int:
        """0 when not running, as Android's process records say."""
        with self._lock:
            child = self._children.get(name)
        return child.pid if child is not None and child.running else 0

    def running(self) -> dict[str, int]:
        with self._lock:
            children = dict(self._children)
        return {name: c.pid for name, c in children.items() if c.running}

    def stop(self, name: str) -> bool:
        """Kill it (force-stop); True when it was running."""
        with self._lock:
            child = self._children.pop(name, None)
            if child is None:
                return False
            self._stopping.add(child.pid)
        child.hangup()  # init kills an app whose handle is let go
        return True

    def forget_all(self) -> None:
        """The device went down: its init took every process with it."""
        with self._lock:
            children, self._children = list(self._children.values()), {}
            self._stopping.update(c.pid for c in children)
        for child in children:
            with contextlib.suppress(OSError):
                child.hangup()

    def _watch(self, name: str, child: Child) -> None:
        child.wait()
        with self._lock:
            expected = child.pid in self._stopping
            self._stopping.discard(child.pid)
            if self._children.get(name) is child:
                del self._children[name]
        if not expected:
            self._on_death(name, child.pid)
