"""Input-to-display latency: from a press on the phone's pad to the first TV frame that
shows the player in its new cell (frames captured one after another, as fast as the
TV's screencap answers; each frame's time is when its capture returned, so a figure is
at most one capture late)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from lab.device.dut import Dut
from lab.errors import LabError
from lab.gamepad.board import Board
from lab.gamepad.pairing import remote_rid

STEPS = {"up": (0, -1), "down": (0, 1), "left": (-1, 0), "right": (1, 0)}


@dataclass(frozen=True)
class Press:
    button: str
    to: tuple[int, int]
    seconds: float  # press to the frame showing it
    tap: float  # of which the tap itself took (uiautomator2's click, until it returned)
    frames: int  # frames captured until then
    frame: np.ndarray


def expected(board: Board, at: tuple[int, int], button: str) -> tuple[int, int]:
    dx, dy = STEPS.get(button, (0, 0))
    return min(board.cols - 1, max(0, at[0] + dx)), min(board.rows - 1, max(0, at[1] + dy))


def press_and_watch(
    pad: Dut, screen: Dut, board: Board, player: int, button: str, timeout: float = 5.0
) -> Press:
    at = board.cell_of(screen.screenshot(), player)
    if at is None:
        raise LabError(f"{screen.id}: player {player} is not on the board")
    target = expected(board, at, button)
    started = time.perf_counter()
    pad.ui.tap(resourceId=remote_rid(button))
    tapped = time.perf_counter() - started
    frames = 0
    while time.perf_counter() - started < timeout:
        frame = screen.screenshot()
        frames += 1
        if board.cell_of(frame, player) == target:
            return Press(button, target, time.perf_counter() - started, tapped, frames, frame)
    raise LabError(
        f"{screen.id}: {button} pressed on {pad.id} never showed player {player} at "
        f"{target} within {timeout:g} s (still at {board.cell_of(screen.screenshot(), player)})"
    )
