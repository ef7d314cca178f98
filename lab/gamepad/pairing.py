"""Pairing a phone's TOS+ Remote with the TV's game, the way a person does it: the TV's
lobby shows a QR code, the phone is held up to the TV (its camera sees the TV's screen),
the remote reads the code and joins. A refusal is raised with the remote's reason."""

from __future__ import annotations

import time

import cv2
import numpy as np

from lab import rig
from lab.device.dut import Dut
from lab.errors import LabError, ProductFailure
from lab.gamepad.board import ARCADE
from lab.gamepad.board import rid as arcade_rid

REMOTE = "com.tos.remote"
RESET = "com.tos.arcade.action.RESET"


class PairingRefused(ProductFailure):
    """The TV refused the phone as its game pad."""

    def __init__(self, pad: str, said: str) -> None:
        super().__init__(f"{pad}: the TV refused pairing: {said}")
        self.said = said


def remote_rid(name: str) -> str:
    return f"{REMOTE}:id/{name}"


def new_game(screen: Dut, code_seconds: float | None = None) -> None:
    """A fresh game on the TV (no players, a new code); codes valid `code_seconds`."""
    args = ["am", "broadcast", "-a", RESET]
    if code_seconds is not None:
        args += ["--ei", "code_seconds", str(int(code_seconds))]
    done = screen.shell(args, check=True)
    if "result=-1" not in done.stdout:
        raise LabError(f"{screen.id}: the game did not reset: {done.stdout.strip()}",
                       hint="is TOS+ Arcade (com.tos.arcade) on this device?")  # fmt: skip


def open_lobby(screen: Dut) -> None:
    screen.shell(["am", "start", "-n", f"{ARCADE}/.Pair"], check=True)
    if not screen.ui.exists(timeout=10, resourceId=arcade_rid("qr")):
        raise LabError(f"{screen.id}: the game's lobby shows no pairing code")


def hold_up_to(pad: Dut, screen: Dut) -> np.ndarray:
    """Point `pad`'s camera at `screen`: the screen's frame is what the camera sees."""
    frame = screen.screenshot()
    rig.open(pad, "camera").show(frame)
    return frame


def qr_picture(text: str, module: int = 12) -> np.ndarray:
    """A QR code of `text` on white (BGR): a card held up to a camera."""
    matrix = cv2.QRCodeEncoder.create().encode(text)
    big = cv2.resize(matrix, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)
    framed = cv2.copyMakeBorder(big, 60, 60, 60, 60, cv2.BORDER_CONSTANT, value=255)
    return cv2.cvtColor(framed, cv2.COLOR_GRAY2BGR)


def scan(pad: Dut) -> None:
    """Open the remote and start it reading whatever its camera sees."""
    pad.shell(["am", "start", "-n", f"{REMOTE}/.Remote"], check=True)
    pad.ui.tap(resourceId=remote_rid("scan"))


def link_status(pad: Dut) -> str:
    return pad.ui.text(resourceId=remote_rid("link_value"))


def wait_paired(pad: Dut, timeout: float = 15.0) -> int:
    """The player number the remote plays once it has joined; PairingRefused otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pad.ui.exists(timeout=0.5, resourceId=remote_rid("position")):
            title = pad.ui.text(resourceId=f"{REMOTE}:id/title")
            return int(title.split()[-1])
        said = link_status(pad) if pad.ui.exists(resourceId=remote_rid("link_value")) else ""
        if said.startswith("Pairing refused"):
            raise PairingRefused(pad.id, said)
    raise LabError(f"{pad.id}: not paired within {timeout:g} s (the remote says "
                   f"{link_status(pad)!r})")  # fmt: skip


def pair(pad: Dut, screen: Dut, timeout: float = 15.0) -> int:
    """Pair `pad` with `screen`'s game; the player number it got."""
    open_lobby(screen)
    hold_up_to(pad, screen)
    scan(pad)
    player = wait_paired(pad, timeout)
    rig.open(pad, "camera").clear()
    return player
