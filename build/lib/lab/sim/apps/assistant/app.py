"""The assistant's screens: listening (after the wake phrase) and the answer card (what it
heard, what it answers), in the system's language."""

from __future__ import annotations

from lab.sim.apps.assistant.service import PACKAGE, AssistantService
from lab.sim.apps.base import DeviceState
from lab.sim.ui.screen import Item, Line, Screen
from lab.sim.ui.strings import tr


class AssistantApp:
    package = PACKAGE

    def __init__(self, service: AssistantService) -> None:
        self.service = service

    def screen(self, activity: str, state: DeviceState) -> Screen:
        lang = str(state.settings["language"])
        if activity == ".Listening":
            return Screen(
                self.package,
                activity,
                tr("assistant", lang),
                lines=(Line("listening", tr("assistant", lang), tr("listening", lang)),),
            )
        return Screen(
            self.package,
            ".Card",
            tr("assistant", lang),
            items=(Item("done", tr("done", lang), "back"),),
            lines=(
                Line("heard", tr("you_said", lang), self.service.heard),
                Line("answer", tr("answer", lang), self.service.answer),
            ),
            lines_first=True,
        )

    def act(self, action: str, state: DeviceState) -> str | None:
        return "back" if action == "back" else None

    def edit(self, key: str, text: str, state: DeviceState) -> None:
        return None
