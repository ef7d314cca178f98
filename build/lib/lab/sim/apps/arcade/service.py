"""The game as the device runs it: the state, its server (started with the app's process
at boot), the screens told when anything changes, and a receiver the lab uses between
tests (`am broadcast -a com.tos.arcade.action.RESET [--ei code_seconds N]`)."""

from __future__ import annotations

from typing import Protocol

from lab.protocols.gamepad import Pairing
from lab.sim.apps import config_receiver
from lab.sim.apps.arcade.game import Game
from lab.sim.apps.arcade.server import GameServer
from lab.sim.apps.arcade.shop import ProShop

PACKAGE = "com.tos.arcade"
ACTION = "com.tos.arcade.action.RESET"
CONFIGURE = "com.tos.arcade.action.CONFIGURE"
TAG = "TosArcade"
OK = -1  # Activity.RESULT_OK


class Host(Protocol):
    windows: object
    root: object

    def online(self) -> bool: ...
    def log(self, priority: str, tag: str, message: str, pid: int = ...) -> None: ...


class ArcadeService:
    def __init__(self, host: Host, name: str) -> None:
        self.host = host
        self.name = name
        self.game = Game()
        self.last_event = ""
        self.server = GameServer(self.game, self._changed)
        self.shop = ProShop(host.online, self._changed)

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def pairing(self) -> Pairing:
        return Pairing("127.0.0.1", self.server.port, self.game.code(), self.name)

    def configure(self, extras: dict[str, str]) -> tuple[int, str]:
        """The merchant key and price of Pro (a pushed JSON file, see config_receiver)."""
        return config_receiver.receive(self.shop.configure, self.host.root, extras)  # type: ignore[arg-type]

    def receive(self, extras: dict[str, str]) -> tuple[int, str]:
        seconds = extras.get("code_seconds")
        if seconds is not None:
            try:
                value = float(seconds)
                if not 1 <= value <= 3600:
                    raise ValueError
            except ValueError:
                return 0, f"error: code_seconds must be 1-3600, got {seconds!r}"
            self.game.code_seconds = value
        self.game.reset()
        self.server.stop()  # the phones of the last game are gone with it
        self.server.start()
        self._changed("reset")
        return OK, f"reset, codes valid {self.game.code_seconds:g} s"

    def _changed(self, what: str) -> None:
        self.last_event = what
        self.host.log("I", TAG, what)
        windows = self.host.windows
        # the lobby gives way to the game when a player presses A (as a console's does)
        top = windows.top_component()  # type: ignore[attr-defined]
        if what.endswith(" a") and top == f"{PACKAGE}/.Pair":
            windows.start(PACKAGE, ".Game")  # type: ignore[attr-defined]
        if what == "order shown":
            windows.start(PACKAGE, ".Unlock")  # type: ignore[attr-defined]
        if what == "pro unlocked" and top == f"{PACKAGE}/.Unlock":
            windows.start(PACKAGE, ".Game")  # type: ignore[attr-defined]
        windows.refresh()  # type: ignore[attr-defined]
