"""The contract between the window manager and an app."""

from __future__ import annotations

from typing import Protocol

from lab.sim.android.packages import PackageManager
from lab.sim.android.props import Props
from lab.sim.spec import DeviceSpec
from lab.sim.ui.screen import Screen


class Navigation(Protocol):
    """What an app may do with the activity stack (the window manager's part of it)."""

    def start(self, package: str, activity: str | None = None) -> bool: ...
    def close(self, package: str, activities: set[str] | None = None) -> None: ...


class DeviceState(Protocol):
    """What apps may read and change: settings, props, packages, the activity stack."""

    spec: DeviceSpec
    props: Props
    packages: PackageManager
    settings: dict[str, object]
    windows: Navigation

    def log(self, priority: str, tag: str, message: str) -> None: ...


class App(Protocol):
    package: str

    def screen(self, activity: str, state: DeviceState) -> Screen: ...

    def act(self, action: str, state: DeviceState) -> str | None:
        """Apply an app-specific action; may return a navigation ('back', 'start:...')."""

    def edit(self, key: str, text: str, state: DeviceState) -> None:
        """The text field `key` now holds `text` (typed, pasted or set)."""
