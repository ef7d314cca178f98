"""Draw a view tree into pixels: deterministic (one font, no randomness) so goldens hold."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw

from lab.sim.ui.fonts import font, wrap
from lab.sim.ui.metrics import Metrics
from lab.sim.ui.view import View

BACKGROUND = (16, 20, 24)
SURFACE = (30, 39, 44)
TILE = (38, 50, 56)
SELECTED = (44, 72, 84)
TEXT = (236, 239, 241)
MUTED = (176, 190, 197)
ACCENT = (79, 195, 247)
SWITCH_ON = (102, 187, 106)
SWITCH_OFF = (84, 110, 122)


def render(root: View, m: Metrics) -> Image.Image:
    """The logical UI (one eye on a headset) as an RGB image."""
    image = Image.new("RGB", (m.width, m.height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for child in root.children:  # in order: a toast, last, draws over the list
        if child.style == "list":
            _draw_clipped(image, child, m)
        else:
            _draw(draw, child, m, (0, 0))
    if m.round:
        mask = Image.new("L", image.size, 0)
        ImageDraw.Draw(mask).ellipse((0, 0, m.width - 1, m.height - 1), fill=255)
        black = Image.new("RGB", image.size, (0, 0, 0))
        image = Image.composite(image, black, mask)
    return image


def _draw_clipped(image: Image.Image, container: View, m: Metrics) -> None:
    left, top, right, bottom = container.bounds
    pad = 8  # room for focus rings at the edges
    layer = Image.new("RGB", (right - left + 2 * pad, bottom - top), BACKGROUND)
    draw = ImageDraw.Draw(layer)
    for child in container.children:
        _draw(draw, child, m, (left - pad, top))
    image.paste(layer, (left - pad, top))


def _box(view: View, origin: tuple[int, int]) -> tuple[int, int, int, int]:
    left, top, right, bottom = view.bounds
    return left - origin[0], top - origin[1], right - origin[0], bottom - origin[1]


def _draw(draw: ImageDraw.ImageDraw, view: View, m: Metrics, origin: tuple[int, int]) -> None:
    box = _box(view, origin)
    style = view.style
    radius = max(6, (box[3] - box[1]) // 6)
    if style in ("tile", "row"):
        fill = SELECTED if view.selected else (TILE if style == "tile" else SURFACE)
        draw.rounded_rectangle(box, radius=radius, fill=fill)
        if view.focused:
            ring = max(3, m.gap // 2)
            draw.rounded_rectangle(
                (box[0] - ring, box[1] - ring, box[2] + ring, box[3] + ring),
                radius=radius + ring,
                outline=ACCENT,
                width=ring + 1,
            )
    elif style == "title":
        _text(draw, view.text, box, m.title_size, TEXT, align="center" if m.round else "left")
    elif style in ("clock", "battery"):
        _text(draw, view.text, box, m.small_size, MUTED, align="center" if m.round else "left")
    elif style == "tile_label":
        _text(draw, view.text, box, m.body_size, TEXT, align="center")
    elif style == "row_label":
        _text(draw, view.text, box, m.body_size, TEXT, align="left")
    elif style == "row_value":
        _text(draw, view.text, box, m.body_size, MUTED, align="right")
    elif style == "switch":
        on = view.checked
        draw.rounded_rectangle(
            box, radius=(box[3] - box[1]) // 2, fill=SWITCH_ON if on else SWITCH_OFF
        )
        knob = box[3] - box[1] - 6
        x = box[2] - knob - 3 if on else box[0] + 3
        draw.ellipse((x, box[1] + 3, x + knob, box[1] + 3 + knob), fill=TEXT)
    elif style == "label":  # centred on a round face, whose edges cut a left-aligned line
        _text(draw, view.text, box, m.small_size, MUTED, align="center" if m.round else "left")
    elif style == "field":
        draw.rounded_rectangle(box, radius=radius, fill=SURFACE)
        line = max(2, m.gap // 4)
        colour = ACCENT if view.focused else MUTED
        draw.rectangle(
            (box[0] + m.gap, box[3] - line - m.gap // 2, box[2] - m.gap, box[3] - m.gap // 2),
            fill=colour,
        )
        _text(
            draw,
            view.text,
            (box[0] + m.gap * 2, box[1], box[2] - m.gap, box[3]),
            m.body_size,
            TEXT,
            align="left",
        )
    elif style == "toast":
        draw.rounded_rectangle(box, radius=(box[3] - box[1]) // 2, fill=(66, 66, 66))
        _text(draw, view.text, box, m.body_size, TEXT, align="center")
    elif style == "value":
        size = m.body_size
        y = box[1]
        for line in wrap(view.text, size, box[2] - box[0]):
            x = box[0]
            if m.round:
                x = (box[0] + box[2] - int(font(size).getlength(line))) // 2
            draw.text((x, y), line, font=font(size), fill=TEXT)
            y += int(size * 1.3)
    elif style == "board":
        draw.rectangle(box, fill=(24, 28, 36))
        cols, rows = (int(n) for n in view.payload.split("x"))
        cell = (box[2] - box[0]) // cols
        for c in range(cols + 1):
            draw.line((box[0] + c * cell, box[1], box[0] + c * cell, box[3]), fill=(70, 76, 90))
        for r in range(rows + 1):
            draw.line((box[0], box[1] + r * cell, box[2], box[1] + r * cell), fill=(70, 76, 90))
    elif style == "piece":
        draw.rounded_rectangle(box, radius=(box[2] - box[0]) // 5, fill=view.payload)
        _text(draw, view.text, box, max(8, (box[3] - box[1]) // 2), (255, 255, 255), "center")
    elif style == "qr":
        draw.rectangle(box, fill=(255, 255, 255))
        side = box[2] - box[0]
        modules = _qr_modules(view.payload)
        cell = max(1, side // (modules.shape[0] + 2))
        size = cell * modules.shape[0]
        offset = (box[0] + (side - size) // 2, box[1] + (side - size) // 2)
        ys, xs = np.nonzero(modules == 0)
        for y, x in zip(ys.tolist(), xs.tolist(), strict=True):
            px, py = offset[0] + x * cell, offset[1] + y * cell
            draw.rectangle((px, py, px + cell - 1, py + cell - 1), fill=(0, 0, 0))
    for child in view.children:
        _draw(draw, child, m, origin)


def _text(draw: ImageDraw.ImageDraw, text: str, box, size: int, fill, align: str) -> None:
    face = font(size)
    left, top, right, bottom = face.getbbox(text or " ")
    width, height = right - left, bottom - top
    if align == "center":
        x = (box[0] + box[2] - width) // 2 - left
    elif align == "right":
        x = box[2] - width - left
    else:
        x = box[0] - left
    y = (box[1] + box[3] - height) // 2 - top
    draw.text((x, y), text, font=face, fill=fill)


@lru_cache(maxsize=16)
def _qr_modules(text: str) -> np.ndarray:
    """The QR matrix (0 = dark), without OpenCV's quiet zone trimmed: we add our own."""
    matrix = cv2.QRCodeEncoder.create().encode(text)
    dark = np.argwhere(matrix == 0)
    (y0, x0), (y1, x1) = dark.min(axis=0), dark.max(axis=0)
    return matrix[y0 : y1 + 1, x0 : x1 + 1]
