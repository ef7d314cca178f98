"""An activity on the stack (its focus, scroll and text field), the home activity, and
the D-pad's focus step: what the window manager keeps per screen and how a key moves on
it, apart from the manager that dispatches input."""

from __future__ import annotations

from dataclasses import dataclass

from lab.sim.android.keycodes import KEYCODES

HOME = ("com.tos.launcher", ".Home")
MOVES = {  # D-pad key -> direction
    KEYCODES["DPAD_UP"]: "up",
    KEYCODES["DPAD_DOWN"]: "down",
    KEYCODES["DPAD_LEFT"]: "left",
    KEYCODES["DPAD_RIGHT"]: "right",
}


ROTATIONS = (0, 1, 2, 3)  # Surface.ROTATION_0 .. ROTATION_270
TOAST_SECONDS = 3.5  # Toast.LENGTH_LONG


class Unsupported(Exception):
    """What this device cannot do, said as such (never a silent no-op)."""


@dataclass
class Activity:
    package: str
    name: str  # short form, ".Settings"
    focus: str = ""  # D-pad focus (resource id)
    scroll: int = 0
    input_focus: str = ""  # the text field that typed text goes to (resource id)

    @property
    def component(self) -> str:
        return f"{self.package}/{self.name}"

    @property
    def full_name(self) -> str:
        return self.package + self.name if self.name.startswith(".") else self.name


def focus_step(kind: str, columns: int, direction: str) -> int:
    """How far a D-pad move takes the focus in a screen's items: a grid of tiles moves by
    one or by a row; a list only up and down."""
    if kind == "tiles":
        return {"left": -1, "right": 1, "up": -columns, "down": columns}[direction]
    return {"left": 0, "right": 0, "up": -1, "down": 1}[direction]


def scrolled_to_show(top: int, bottom: int, visible: int, scroll: int) -> int:
    """The list's scroll once the item spanning top..bottom is in view."""
    if bottom - scroll > visible:
        return bottom - visible
    if top < scroll:
        return top
    return scroll
