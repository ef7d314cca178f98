"""The home screen: a tile for every launchable app."""

from __future__ import annotations

from lab.sim.apps.base import DeviceState
from lab.sim.ui.screen import Item, Screen
from lab.sim.ui.strings import tr


class Launcher:
    package = "com.tos.launcher"

    def screen(self, activity: str, state: DeviceState) -> Screen:
        lang = str(state.settings["language"])
        items = [
            Item("app_settings", tr("settings", lang), "start:com.tos.settings/.Settings"),
            Item("app_about", tr("about", lang), "start:com.tos.settings/.About"),
        ]
        built_in = {self.package, "com.tos.settings"}
        for package in state.packages.all():
            if package.component and package.name not in built_in:
                items.append(
                    Item(
                        f"app_{package.name.replace('.', '_')}",
                        package.label,
                        f"start:{package.component}",
                    )
                )
        return Screen(self.package, ".Home", tr("home", lang), kind="tiles", items=tuple(items))

    def act(self, action: str, state: DeviceState) -> str | None:
        return None

    def edit(self, key: str, text: str, state: DeviceState) -> None:
        return None
