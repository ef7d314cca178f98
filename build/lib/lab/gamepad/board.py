"""The TV game's board read back two ways: from the view hierarchy (each piece says its
cell) and from a frame of the screen (each player's colour found in its cell), the second
being what a person, or a camera, would see."""

from __future__ import annotations

import re

import numpy as np

from lab.device.dut import Dut
from lab.protocols.gamepad import PLAYER_COLOURS

ARCADE = "com.tos.arcade"
TOLERANCE = 12  # per channel: the renderer draws exact colours; a camera would need more


def rid(name: str) -> str:
    return f"{ARCADE}:id/{name}"


class Board:
    """Where the board is on the TV's screen and how many cells it has."""

    def __init__(self, screen: Dut) -> None:
        info = screen.ui.element(resourceId=rid("board"))
        b = info["bounds"]
        self.bounds = (b["left"], b["top"], b["right"], b["bottom"])
        cols, rows = re.fullmatch(r"(\d+)x(\d+) board", info["contentDescription"]).groups()
        self.cols, self.rows = int(cols), int(rows)

    def cell_of(self, frame: np.ndarray, player: int) -> tuple[int, int] | None:
        """The cell player `player`'s colour covers in `frame` (BGR), or None."""
        left, top, right, bottom = self.bounds
        area = frame[top:bottom, left:right].astype(np.int16)
        red, green, blue = PLAYER_COLOURS[player - 1]
        close = np.all(np.abs(area - np.array([blue, green, red])) <= TOLERANCE, axis=2)
        ys, xs = np.nonzero(close)
        if len(xs) < 20:
            return None
        cell_w, cell_h = (right - left) / self.cols, (bottom - top) / self.rows
        return int(np.median(xs) // cell_w), int(np.median(ys) // cell_h)


def cell_in_hierarchy(screen: Dut, player: int) -> tuple[int, int] | None:
    """The cell the game says player `player` is in, or None when it is not on the board."""
    if not screen.ui.exists(resourceId=rid(f"player_{player}")):
        return None
    said = screen.ui.element(resourceId=rid(f"player_{player}"))["contentDescription"]
    col, row = re.search(r"at (\d+),(\d+)", said).groups()
    return int(col), int(row)
