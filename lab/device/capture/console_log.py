"""The serial console's output for as long as the harness holds the device. The console's
reader thread already logs every byte and outlives reboots (a UART does not go away when
the device restarts); this service gives it the service life cycle and excerpts."""

from __future__ import annotations

from collections.abc import Callable

from lab.device.console import Console
from lab.errors import LabError
from lab.redaction import redact


class ConsoleLog:
    name = "console"

    def __init__(self, open_console: Callable[[], Console]) -> None:
        self._open = open_console
        self._console: Console | None = None
        self.error = ""

    @property
    def is_alive(self) -> bool:
        return self._console is not None

    def start(self) -> None:
        if self._console is None:
            try:
                self._console = self._open()
            except LabError as exc:
                self.error = f"console not captured: {exc.message}"

    def stop(self) -> None:
        self._console = None  # the Dut owns and closes the console itself

    def pause(self) -> None:
        """Nothing to do: the console keeps reading through a reboot (its boot log too)."""

    def resume(self) -> None:
        self.start()

    def mark(self) -> int:
        return self._console.position if self._console is not None else 0

    def excerpt(self, since: int) -> str:
        if self._console is None:
            return self.error or "(no console)"
        return redact(self._console.since(since).decode(errors="replace").replace("\r", ""))
