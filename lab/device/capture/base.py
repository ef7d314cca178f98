"""The contract of a device service."""

from __future__ import annotations

from typing import Protocol


class CaptureService(Protocol):
    name: str

    @property
    def is_alive(self) -> bool: ...

    def start(self) -> None: ...

    def stop(self) -> None:
        """Stop capturing; never raises (it runs in teardown)."""

    def pause(self) -> None:
        """Stop for now (the device is about to reboot); nothing captured is lost."""

    def resume(self) -> None:
        """Start again after a pause, catching up on what the device logged meanwhile."""

    def mark(self) -> int:
        """A position in what was captured, for a later excerpt."""

    def excerpt(self, since: int) -> str:
        """What was captured since `since` (with a note if some of it had to be dropped)."""
