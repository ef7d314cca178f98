"""Pairing a phone with the TV's game by the QR code on the TV, through the phone's
camera: it joins as player 1, and moves on the phone show on the TV; a wrong or expired
code is refused, and the TV keeps no player for it."""

from __future__ import annotations

import time

import allure
import numpy as np
import pytest

from lab import rig
from lab.gamepad.board import Board, cell_in_hierarchy
from lab.gamepad.latency import press_and_watch
from lab.gamepad.pairing import (
    PairingRefused,
    hold_up_to,
    new_game,
    open_lobby,
    pair,
    qr_picture,
    scan,
    wait_paired,
)
from lab.protocols.gamepad import Pairing, parse_pairing
from lab.vision.qr import read_qr

pytestmark = [
    pytest.mark.devices(pad="phone:gamepad", screen="tv:game_host"),
    pytest.mark.requirement("7.1/T-0-1"),
]


def lobby_pairing(screen) -> tuple[Pairing, np.ndarray]:
    open_lobby(screen)
    frame = screen.screenshot()
    found = [parse_pairing(qr.text) for qr in read_qr(frame)]
    pairings = [p for p in found if p]
    assert len(pairings) == 1, f"the lobby shows {len(pairings)} pairing codes"
    return pairings[0], frame


@allure.title("a phone pairs by the TV's QR code and its moves show on the TV")
def test_pair_and_move(game, attach):
    pad, screen = game["pad"], game["screen"]
    with allure.step(f"{pad.id} is held up to {screen.id} and scans its code"):
        player = pair(pad, screen)
    assert player == 1
    attach.png(f"{pad.id}: the pad", pad.screenshot_png())
    screen.shell(["am", "start", "-n", "com.tos.arcade/.Game"], check=True)
    board = Board(screen)
    moves = ["right", "right", "down", "right", "down"]
    with allure.step(f"{' '.join(moves)} on {pad.id}"):
        for button in moves:
            press_and_watch(pad, screen, board, player, button)
    frame = screen.screenshot()
    attach.png(f"{screen.id}: after the moves", frame)
    assert board.cell_of(frame, player) == (3, 2), "the frame shows it elsewhere"
    assert cell_in_hierarchy(screen, player) == (3, 2)


@allure.title("a wrong pairing code is refused")
def test_a_wrong_code_is_refused(game, attach):
    pad, screen = game["pad"], game["screen"]
    real, _ = lobby_pairing(screen)
    wrong = f"{(int(real.code) + 1) % 10**6:06d}"
    forged = Pairing(real.host, real.port, wrong, real.tv)
    rig.open(pad, "camera").show(qr_picture(forged.url))
    scan(pad)
    with pytest.raises(PairingRefused, match="wrong code"):
        wait_paired(pad, timeout=10)
    attach.png(f"{pad.id}: refused", pad.screenshot_png())
    screen.shell(["am", "start", "-n", "com.tos.arcade/.Game"], check=True)
    assert cell_in_hierarchy(screen, 1) is None, "a player joined with a wrong code"


@allure.title("an expired pairing code is refused")
def test_an_expired_code_is_refused(game, attach):
    pad, screen = game["pad"], game["screen"]
    new_game(screen, code_seconds=2)
    _, frame = lobby_pairing(screen)
    time.sleep(2.5)
    rig.open(pad, "camera").show(frame)  # the code the TV showed 2.5 s ago
    scan(pad)
    with pytest.raises(PairingRefused, match="code expired"):
        wait_paired(pad, timeout=10)
    attach.png(f"{pad.id}: refused", pad.screenshot_png())


@allure.title("a used pairing code is refused: one code, one phone")
def test_a_used_code_is_refused(game):
    pad, screen = game["pad"], game["screen"]
    _, frame = lobby_pairing(screen)
    hold_up_to(pad, screen)
    scan(pad)
    assert wait_paired(pad) == 1
    pad.ui.press("home")
    rig.open(pad, "camera").show(frame)  # the same picture again: its code is used now
    scan(pad)
    with pytest.raises(PairingRefused, match="already used"):
        wait_paired(pad, timeout=10)
