"""Any app installed with `adb install`: it shows its name and version."""

from __future__ import annotations

from lab.sim.apps.base import DeviceState
from lab.sim.ui.screen import Line, Screen
from lab.sim.ui.strings import tr


class InstalledApp:
    def __init__(self, package: str) -> None:
        self.package = package

    def screen(self, activity: str, state: DeviceState) -> Screen:
        lang = str(state.settings["language"])
        package = state.packages.get(self.package)
        label = package.label if package else self.package
        version = package.version_name if package else ""
        return Screen(
            self.package,
            activity,
            label,
            lines=(
                Line("package", tr("package", lang), self.package),
                Line("version", tr("version", lang), version),
            ),
        )

    def act(self, action: str, state: DeviceState) -> str | None:
        return None

    def edit(self, key: str, text: str, state: DeviceState) -> None:
        return None
