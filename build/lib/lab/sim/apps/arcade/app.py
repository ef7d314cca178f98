"""The game's screens on the TV: the lobby (.Pair: the pairing QR code, its code in
digits, who has joined) and the game (.Game: the board, each player's score and link)."""

from __future__ import annotations

from lab.protocols.gamepad import PLAYER_COLOURS
from lab.sim.apps.arcade.game import COLS, ROWS
from lab.sim.apps.arcade.service import PACKAGE, ArcadeService
from lab.sim.apps.base import DeviceState
from lab.sim.ui.screen import Board, Item, Line, Piece, Screen
from lab.sim.ui.strings import tr

STAR = (255, 214, 0)


class ArcadeApp:
    package = PACKAGE

    def __init__(self, service: ArcadeService) -> None:
        self.service = service

    def screen(self, activity: str, state: DeviceState) -> Screen:
        lang = str(state.settings["language"])
        players, star = self.service.game.snapshot()
        joined = ", ".join(f"{tr('player', lang)} {p.number}" for p in players) or "-"
        shop = self.service.shop
        if activity == ".Unlock" and shop.order is not None:
            return Screen(
                self.package,
                ".Unlock",
                tr("unlock_pro", lang),
                items=(Item("cancel", tr("cancel", lang), "back"),),
                lines=(
                    Line("price", tr("price", lang), f"¥{shop.price / 100:.2f}"),
                    Line("hint", tr("unlock_pro", lang), tr("scan_to_pay", lang)),
                ),
                qr=shop.order["code_url"],
                qr_caption=tr("unlock_pro", lang),
            )
        if activity in (".Game", ".Unlock"):
            pieces = [Piece("star", "*", star[0], star[1], STAR)]
            pieces += [Piece(f"player_{p.number}", str(p.number), p.col, p.row,
                             PLAYER_COLOURS[p.number - 1]) for p in players]  # fmt: skip
            lines = [
                Line(f"player_{p.number}_status", f"{tr('player', lang)} {p.number}",
                     f"{p.score} · {tr('connected' if p.connected else 'disconnected', lang)}")
                for p in players
            ]  # fmt: skip
            items = [Item("pair", tr("add_player", lang), f"start:{PACKAGE}/.Pair")]
            if shop.configured and not shop.unlocked:
                items.append(Item("unlock", f"{tr('unlock_pro', lang)} ¥{shop.price / 100:.2f}",
                                  "unlock"))  # fmt: skip
            if shop.configured:
                pro = tr("pro_unlocked" if shop.unlocked else "pro_locked", lang)
                lines.append(Line("pro", "Pro", f"{pro} {shop.message}".strip()))
            return Screen(
                self.package,
                ".Game",
                tr("arcade", lang),
                items=tuple(items),
                lines=tuple(lines)
                or (Line("waiting", tr("arcade", lang), tr("no_players", lang)),),
                board=Board(COLS, ROWS, tuple(pieces)),
            )
        pairing = self.service.pairing()
        code = pairing.code
        return Screen(
            self.package,
            ".Pair",
            tr("arcade", lang),
            items=(Item("play", tr("play", lang), f"start:{PACKAGE}/.Game"),),
            lines=(
                Line("code", tr("pairing_code", lang), f"{code[:3]} {code[3:]}"),
                Line("joined", tr("players", lang), joined),
                Line("hint", tr("arcade", lang), tr("scan_to_play", lang)),
            ),
            qr=pairing.url,
            qr_caption=tr("pairing_code", lang),
        )

    def act(self, action: str, state: DeviceState) -> str | None:
        if action == "unlock":
            self.service.shop.unlock()  # the order's QR code comes up once it is made
        return None

    def edit(self, key: str, text: str, state: DeviceState) -> None:
        return None
