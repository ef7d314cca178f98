"""A node of the on-screen view tree, as uiautomator reports it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

Rect = tuple[int, int, int, int]  # left, top, right, bottom

FRAME = "android.widget.FrameLayout"
LINEAR = "android.widget.LinearLayout"
TEXT = "android.widget.TextView"
IMAGE = "android.widget.ImageView"
SWITCH = "android.widget.Switch"
EDIT = "android.widget.EditText"
SCROLL = "androidx.recyclerview.widget.RecyclerView"


@dataclass(eq=False)
class View:
    cls: str = FRAME
    text: str = ""
    rid: str = ""
    desc: str = ""
    bounds: Rect = (0, 0, 0, 0)
    clickable: bool = False
    focusable: bool = False
    checkable: bool = False
    checked: bool = False
    enabled: bool = True
    scrollable: bool = False
    selected: bool = False
    long_clickable: bool = False
    focused: bool = False
    style: str = ""  # how the renderer draws it: tile, row, title, line, value, qr, ...
    action: str = ""  # what a click does, e.g. "start:com.tos.settings/.About"
    payload: str = ""  # e.g. the text a QR code carries
    children: list[View] = field(default_factory=list)

    def walk(self) -> Iterator[View]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def center(self) -> tuple[int, int]:
        left, top, right, bottom = self.bounds
        return (left + right) // 2, (top + bottom) // 2

    def contains(self, x: int, y: int) -> bool:
        left, top, right, bottom = self.bounds
        return left <= x < right and top <= y < bottom
