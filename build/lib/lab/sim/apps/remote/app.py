"""The remote's screens on the phone: home (scan the TV's code), scanning, and the pad
(a D-pad and A/B, the player it plays and the state of its link to the TV)."""

from __future__ import annotations

from lab.sim.apps.base import DeviceState
from lab.sim.apps.remote.service import PACKAGE, RemoteService
from lab.sim.ui.screen import Item, Line, Screen
from lab.sim.ui.strings import tr

PAD = ("a", "up", "b", "left", "down", "right")
LABELS = {"a": "A", "b": "B", "up": "▲", "down": "▼", "left": "◀", "right": "▶"}


class RemoteApp:
    package = PACKAGE

    def __init__(self, service: RemoteService) -> None:
        self.service = service

    def screen(self, activity: str, state: DeviceState) -> Screen:
        lang = str(state.settings["language"])
        remote = self.service
        status = remote.status
        shown = tr(status.split(":")[0], lang)
        if status.startswith("refused:"):
            shown = f"{tr('refused', lang)}: {tr(status.split(':', 1)[1], lang)}"
        if activity == ".Pad" and remote.player:
            at = f"{remote.at[0]},{remote.at[1]}" if remote.at else "-"
            return Screen(
                self.package,
                ".Pad",
                f"{tr('player', lang)} {remote.player}",
                kind="keypad",
                items=tuple(Item(key, LABELS[key], f"press:{key}") for key in PAD),
                lines=(
                    Line("link", remote.tv or tr("arcade", lang), shown),
                    Line("position", tr("position", lang), f"{at} · {remote.score}"),
                ),
                lines_first=True,
            )
        return Screen(
            self.package,
            activity if activity == ".Scan" else ".Remote",
            tr("remote", lang),
            items=(Item("scan", tr("scan_tv", lang), "scan"),),
            lines=(Line("link", tr("remote", lang), shown),),
            lines_first=True,
        )

    def act(self, action: str, state: DeviceState) -> str | None:
        if action == "scan":
            self.service.scan()
            return f"start:{PACKAGE}/.Scan"
        if action.startswith("press:"):
            self.service.press(action.split(":", 1)[1])
        return None

    def edit(self, key: str, text: str, state: DeviceState) -> None:
        return None
