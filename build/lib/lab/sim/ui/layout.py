"""Turn a Screen into a view tree with bounds, for one device class's metrics."""

from __future__ import annotations

import time
from dataclasses import replace

from lab.sim.ui.fonts import wrap
from lab.sim.ui.metrics import Metrics
from lab.sim.ui.screen import Board, Item, Screen
from lab.sim.ui.view import EDIT, FRAME, IMAGE, LINEAR, SCROLL, SWITCH, TEXT, View

SYSTEMUI = "com.tos.systemui"


def build_tree(
    screen: Screen,
    m: Metrics,
    *,
    focus: str,
    scroll: int,
    battery: int | None,
    clock: str | None = None,
    toast: str | None = None,
    input_focus: str = "",
) -> tuple[View, int]:
    """The root view and the content's full height (for scrolling)."""
    root = View(FRAME, bounds=(0, 0, m.width, m.height), style="root")
    root.children.append(_status_bar(m, battery, clock or time.strftime("%H:%M")))
    left, top, right, bottom = m.content
    pkg = screen.package
    title = View(
        TEXT,
        text=screen.title,
        rid=f"{pkg}:id/title",
        style="title",
        bounds=(left, top, right, top + int(m.title_size * 1.6)),
    )
    root.children.append(title)
    list_top = title.bounds[3] + m.gap
    area = (left, list_top, right, bottom)
    container = View(SCROLL, rid=f"{pkg}:id/list", bounds=area, style="list")
    children, height = _content(screen, m, area)
    visible_h = bottom - list_top
    container.scrollable = height > visible_h
    for child in children:
        _shift(child, -scroll)
        if child.bounds[3] > list_top and child.bounds[1] < bottom:
            container.children.append(child)
    root.children.append(container)
    for view in root.walk():
        view.focused = view.focusable and (
            (m.focus_ring and bool(focus) and view.rid == focus)
            or (bool(input_focus) and view.rid == input_focus)
        )
    if toast:
        root.children.append(_toast(m, toast))
    return root, height


def _toast(m: Metrics, text: str) -> View:
    """A toast as SystemUI shows it: a pill near the bottom, over everything."""
    width = min(m.width - 2 * m.margin, int(m.body_size * 0.62 * max(6, len(text))) + 4 * m.gap)
    height = int(m.body_size * 2.2)
    bottom = m.height - (int(m.height * 0.14) if m.round else 2 * m.margin)
    left = (m.width - width) // 2
    return View(
        TEXT,
        text=text,
        rid=f"{SYSTEMUI}:id/toast",
        style="toast",
        bounds=(left, bottom - height, left + width, bottom),
    )


def _status_bar(m: Metrics, battery: int | None, clock: str) -> View:
    bar = View(
        LINEAR,
        rid=f"{SYSTEMUI}:id/status_bar",
        bounds=(0, 0, m.width, m.status_h),
        style="statusbar",
    )
    size = m.small_size
    y0 = (m.status_h - size) // 2
    if m.round:  # centred under the bezel's top; a round face has no room for a battery
        half, top = int(size * 1.8), int(m.status_h * 0.35)
        clock_bounds = (m.width // 2 - half, top, m.width // 2 + half, top + size + 6)
    else:
        clock_bounds = (m.margin, y0, m.margin + size * 4, y0 + size + 6)
    bar.children.append(
        View(TEXT, text=clock, rid=f"{SYSTEMUI}:id/clock", style="clock", bounds=clock_bounds)
    )
    if battery is not None and not m.round:
        bar.children.append(
            View(
                TEXT,
                text=f"{battery}%",
                rid=f"{SYSTEMUI}:id/battery",
                style="battery",
                bounds=(m.width - m.margin - size * 3, y0, m.width - m.margin, y0 + size + 6),
            )
        )
    return bar


def _content(screen: Screen, m: Metrics, area: tuple[int, int, int, int]) -> tuple[list[View], int]:
    left, top, right, _ = area
    views: list[View] = []
    y = top
    if screen.qr and m.round:  # on a watch the code comes first, so it shows without scrolling
        y = _qr(screen, views, m, left, right, y)
    if screen.kind == "keypad":
        return _keypad(screen, m, views, area), area[3] - top
    if screen.lines_first and not screen.qr:
        y = _lines(screen, m, views, left, right, y)
        screen = replace(screen, lines=())
        top_of_items = y
    else:
        top_of_items = top
    if screen.kind == "tiles":
        cols = m.tile_cols
        width = (right - left - m.gap * (cols - 1)) // cols
        for index, item in enumerate(screen.items):
            col, row = index % cols, index // cols
            x = left + col * (width + m.gap)
            ty = top_of_items + row * (m.tile_h + m.gap)
            views.append(_item_view(screen, item, (x, ty, x + width, ty + m.tile_h), "tile"))
        rows = (len(screen.items) + cols - 1) // cols
        y = top_of_items + rows * (m.tile_h + m.gap)
    else:
        for item in screen.items:
            views.append(_item_view(screen, item, (left, y, right, y + m.row_h), "row", m))
            y += m.row_h + m.gap
    landscape = m.width >= 1200  # wide enough for the QR code beside the text (TV, headset)
    beside = landscape and (screen.qr or screen.board)
    text_right = left + (right - left) // (3 if screen.board else 2) if beside else right
    lines_top = y
    y = _lines(screen, m, views, left, text_right, y)
    if screen.board is not None:
        if landscape:
            y = max(y, _board(screen.board, screen.package, views, text_right + m.gap, right,
                              lines_top, area[3]))  # fmt: skip
        else:
            y = _board(screen.board, screen.package, views, left, right, y, area[3])
    elif screen.qr and landscape:  # beside the lines on a TV
        bottom_qr = _qr(screen, views, m, text_right + m.gap, right, lines_top)
        y = max(y, bottom_qr)
    elif screen.qr and not m.round:
        y = _qr(screen, views, m, left, right, y, area[3])
    return views, y - top


def _board(board: Board, package: str, views: list[View], left: int, right: int, y: int,
           bottom: int) -> int:  # fmt: skip
    """The grid, square cells as large as fit; each piece a view in its cell (its id and
    its cell in the hierarchy, its colour on screen)."""
    cell = max(4, min((right - left) // board.cols, (bottom - y) // board.rows))
    x0 = left + (right - left - cell * board.cols) // 2
    grid = View(
        FRAME,
        rid=f"{package}:id/board",
        desc=f"{board.cols}x{board.rows} board",
        style="board",
        payload=f"{board.cols}x{board.rows}",
        bounds=(x0, y, x0 + cell * board.cols, y + cell * board.rows),
    )
    for piece in board.pieces:
        px, py = x0 + piece.col * cell, y + piece.row * cell
        grid.children.append(
            View(
                TEXT,
                text=piece.label,
                rid=f"{package}:id/{piece.key}",
                desc=f"{piece.key} at {piece.col},{piece.row}",
                style="piece",
                payload="#{:02x}{:02x}{:02x}".format(*piece.colour),
                bounds=(px + 2, py + 2, px + cell - 2, py + cell - 2),
            )
        )
    views.append(grid)
    return y + cell * board.rows


def _lines(screen: Screen, m: Metrics, views: list[View], left: int, right: int, y: int) -> int:
    """Read-only label/value pairs, stacked from `y`; where they end."""
    pkg = screen.package
    for line in screen.lines:
        label_h = int(m.small_size * 1.4)
        wrapped = wrap(line.value, m.body_size, right - left)
        value_h = int(m.body_size * 1.3) * len(wrapped)
        box = View(
            LINEAR,
            rid=f"{pkg}:id/{line.key}",
            style="line",
            bounds=(left, y, right, y + label_h + value_h),
        )
        box.children.append(
            View(
                TEXT,
                text=line.label,
                rid=f"{pkg}:id/{line.key}_label",
                style="label",
                bounds=(left, y, right, y + label_h),
            )
        )
        box.children.append(
            View(
                TEXT,
                text=line.value,
                rid=f"{pkg}:id/{line.key}_value",
                style="value",
                bounds=(left, y + label_h, right, y + label_h + value_h),
            )
        )
        views.append(box)
        y += label_h + value_h + m.gap
    return y


def _keypad(
    screen: Screen, m: Metrics, views: list[View], area: tuple[int, int, int, int]
) -> list[View]:
    """A PIN pad: its lines on top, then the keys three to a row filling what is left
    (narrower on a round face, so the corner keys stay inside the circle)."""
    left, top, right, bottom = area
    if m.round:
        inset = (right - left) // 8
        left, right = left + inset, right - inset
    y = _lines(screen, m, views, left, right, top)
    rows = max(1, (len(screen.items) + 2) // 3)
    key_h = max(m.small_size * 2, min(m.row_h, (bottom - y - (rows - 1) * m.gap) // rows))
    width = (right - left - 2 * m.gap) // 3
    for index, item in enumerate(screen.items):
        col, row = index % 3, index // 3
        x, ky = left + col * (width + m.gap), y + row * (key_h + m.gap)
        views.append(_item_view(screen, item, (x, ky, x + width, ky + key_h), "tile"))
    return views


def _qr(
    screen: Screen,
    views: list[View],
    m: Metrics,
    left: int,
    right: int,
    y: int,
    bottom: int | None = None,
) -> int:
    side = int((right - left) * 0.8) if m.round else min(right - left, int(m.height * 0.45))
    if m.round and screen.lines:  # room below for a line or two (a code's digits)
        room = len(screen.lines) * int(m.small_size * 1.4 + m.body_size * 1.3) + 2 * m.gap
        fitted = int(m.height * 0.9) - y - room
        if fitted >= side * 0.6:  # more lines than that scroll instead (About)
            side = min(side, fitted)
    if bottom is not None and bottom - y - m.gap >= side // 2:
        side = min(side, bottom - y - m.gap)  # fit on screen rather than need scrolling
    x = (left + right - side) // 2
    views.append(
        View(
            IMAGE,
            rid=f"{screen.package}:id/qr",
            desc=screen.qr_caption or "QR code",
            style="qr",
            payload=screen.qr or "",
            bounds=(x, y, x + side, y + side),
        )
    )
    return y + side + m.gap


def _item_view(
    screen: Screen,
    item: Item,
    bounds: tuple[int, int, int, int],
    style: str,
    m: Metrics | None = None,
) -> View:
    pkg = screen.package
    if item.editable:
        return View(
            EDIT,
            text=item.value,
            rid=f"{pkg}:id/{item.key}",
            bounds=bounds,
            clickable=True,
            focusable=True,
            long_clickable=True,
            style="field",
            desc=item.label,
        )
    view = View(
        LINEAR,
        rid=f"{pkg}:id/{item.key}",
        bounds=bounds,
        clickable=True,
        focusable=True,
        style=style,
        action=item.action,
        selected=item.selected,
        desc=item.label,
    )
    left, top, right, bottom = bounds
    if style == "tile":
        view.children.append(
            View(
                TEXT,
                text=item.label,
                rid=f"{pkg}:id/{item.key}_label",
                style="tile_label",
                bounds=bounds,
            )
        )
        return view
    assert m is not None
    pad = m.gap * 2
    label_right = right - pad - (m.row_h * 2 if (item.value or item.switch is not None) else 0)
    view.children.append(
        View(
            TEXT,
            text=item.label,
            rid=f"{pkg}:id/{item.key}_label",
            style="row_label",
            bounds=(left + pad, top, label_right, bottom),
        )
    )
    if item.switch is not None:
        view.children.append(
            View(
                SWITCH,
                text="ON" if item.switch else "OFF",
                rid=f"{pkg}:id/{item.key}_switch",
                checkable=True,
                checked=item.switch,
                style="switch",
                bounds=(
                    right - pad - int(m.row_h * 0.9),
                    top + m.row_h // 4,
                    right - pad,
                    bottom - m.row_h // 4,
                ),
            )
        )
    elif item.value:
        view.children.append(
            View(
                TEXT,
                text=item.value,
                rid=f"{pkg}:id/{item.key}_value",
                style="row_value",
                bounds=(label_right, top, right - pad, bottom),
            )
        )
    return view


def _shift(view: View, dy: int) -> None:
    for node in view.walk():
        left, top, right, bottom = node.bounds
        node.bounds = (left, top + dy, right, bottom + dy)


def item_extent(screen: Screen, m: Metrics, rid: str) -> tuple[int, int, int]:
    """(top, bottom) of the view `rid` within the unscrolled list, and the list's visible
    height; for an empty rid, (0, full content height, visible height)."""
    left, top, right, bottom = m.content
    list_top = top + int(m.title_size * 1.6) + m.gap
    children, height = _content(screen, m, (left, list_top, right, bottom))
    visible = bottom - list_top
    for child in children:
        if child.rid == rid:
            return child.bounds[1] - list_top, child.bounds[3] - list_top, visible
    return 0, height, visible
