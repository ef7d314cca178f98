"""What an app shows, independent of geometry: the layout turns it into views."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    """A clickable tile or row."""

    key: str  # resource-id suffix
    label: str
    action: str
    value: str = ""  # right-hand text of a row (e.g. "50%")
    switch: bool | None = None  # a row with an on/off switch
    selected: bool = False
    editable: bool = False  # a text field (EditText) holding `value`


@dataclass(frozen=True)
class Line:
    """A read-only label/value pair (About screen)."""

    key: str
    label: str
    value: str


@dataclass(frozen=True)
class Piece:
    """Something on a board: a player, a star."""

    key: str  # resource-id suffix, e.g. player_1
    label: str  # drawn on it, e.g. "1"
    col: int
    row: int
    colour: tuple[int, int, int]  # RGB


@dataclass(frozen=True)
class Board:
    """A game's grid of cells and what stands on it."""

    cols: int
    rows: int
    pieces: tuple[Piece, ...] = ()


@dataclass(frozen=True)
class Screen:
    package: str
    activity: str
    title: str
    kind: str = "rows"  # "tiles" | "rows"
    items: tuple[Item, ...] = ()
    lines: tuple[Line, ...] = ()
    qr: str | None = None  # text of a QR code shown below the lines
    qr_caption: str = ""
    board: Board | None = None  # a game's grid, beside the lines on a TV
    lines_first: bool = False  # a banner or a summary: its lines above its buttons
    secure: bool = False  # a PIN pad: input is never logged with where it landed
    extra: dict[str, str] = field(default_factory=dict)
