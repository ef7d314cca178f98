"""Input-to-display latency, press on the phone to the TV frame that shows the move, over
a short series (median and p95 attached; `make bench` measures a longer one for
docs/PERFORMANCE.md)."""

from __future__ import annotations

import allure
import numpy as np
import pytest

from lab.gamepad.board import Board
from lab.gamepad.latency import press_and_watch
from lab.gamepad.pairing import pair

pytestmark = pytest.mark.devices(pad="phone:gamepad", screen="tv:game_host")
PRESSES = ["right", "right", "right", "down", "left", "left", "left", "up"] * 2


@allure.title("press to frame: median and p95 over 16 presses")
def test_press_to_frame_latency(game, attach):
    pad, screen = game["pad"], game["screen"]
    player = pair(pad, screen)
    screen.shell(["am", "start", "-n", "com.tos.arcade/.Game"], check=True)
    board = Board(screen)
    start = board.cell_of(screen.screenshot(), player)
    seen = [press_and_watch(pad, screen, board, player, b) for b in PRESSES]
    ms = np.array([p.seconds for p in seen]) * 1000
    summary = (f"presses: {len(ms)}\nmedian: {np.median(ms):.0f} ms\n"
               f"p95: {np.percentile(ms, 95):.0f} ms\nmax: {ms.max():.0f} ms\n"
               f"frames per press (median): {np.median([p.frames for p in seen]):.0f}")  # fmt: skip
    attach.text("press to frame", summary)
    # every press showed (press_and_watch fails otherwise), and the square walked ends home
    assert seen[-1].to == start, f"the walk ended at {seen[-1].to}, not {start}"
