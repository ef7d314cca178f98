"""Two phones as two players on one TV; a phone that loses its network shows as
disconnected on the TV, and coming back resumes its player where it stood."""

from __future__ import annotations

import time

import allure
import pytest

from lab.gamepad.board import Board, cell_in_hierarchy, rid
from lab.gamepad.latency import press_and_watch
from lab.gamepad.pairing import link_status, pair, wait_paired


def player_status(screen, player: int) -> str:
    return screen.ui.text(resourceId=rid(f"player_{player}_status_value"))


@pytest.mark.devices(pad="phone:gamepad", pad2="phone:gamepad", screen="tv:game_host")
@allure.title("two phones play as players 1 and 2")
def test_two_players(game, attach):
    pad, pad2, screen = game["pad"], game["pad2"], game["screen"]
    assert pair(pad, screen) == 1
    assert pair(pad2, screen) == 2
    screen.shell(["am", "start", "-n", "com.tos.arcade/.Game"], check=True)
    board = Board(screen)
    press_and_watch(pad, screen, board, 1, "right")
    press_and_watch(pad2, screen, board, 2, "up")
    frame = screen.screenshot()
    attach.png(f"{screen.id}: two players", frame)
    assert board.cell_of(frame, 1) == (1, 0)
    assert board.cell_of(frame, 2) == (board.cols - 1, board.rows - 2)
    assert "connected" in player_status(screen, 1) and "connected" in player_status(screen, 2)


@pytest.mark.devices(pad="phone:gamepad", screen="tv:game_host")
@allure.title("a lost link shows on the TV; reconnecting resumes the player")
def test_disconnect_and_resume(game, attach):
    pad, screen = game["pad"], game["screen"]
    assert pair(pad, screen) == 1
    screen.shell(["am", "start", "-n", "com.tos.arcade/.Game"], check=True)
    board = Board(screen)
    press_and_watch(pad, screen, board, 1, "down")
    with allure.step(f"{pad.id} loses its network"):
        pad.shell(["svc", "wifi", "disable"], check=True)
        lost_at = time.monotonic()
        assert screen.ui.exists(
            timeout=10, resourceId=rid("player_1_status_value"), textContains="disconnected"
        ), "the TV never showed the loss"
        detected = time.monotonic() - lost_at
        attach.png(f"{screen.id}: player 1 disconnected", screen.screenshot_png())
        attach.text("loss detected after", f"{detected:.2f} s")
        assert "reconnecting" in link_status(pad)
    with allure.step(f"{pad.id} gets its network back"):
        pad.shell(["svc", "wifi", "enable"], check=True)
        assert wait_paired(pad, timeout=15) == 1, "it came back as another player"
        assert screen.ui.exists(
            timeout=10, resourceId=rid("player_1_status_value"), textContains="· connected"
        )
    assert cell_in_hierarchy(screen, 1) == (0, 1), "the player did not keep its place"
    press_and_watch(pad, screen, board, 1, "right")
    assert cell_in_hierarchy(screen, 1) == (1, 1)
