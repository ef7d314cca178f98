"""Screens unlike the lab's own, to keep `locate` honest: random sizes, layouts and colour
schemes, other fonts (DejaVu Sans, Serif, Mono, Condensed, bold, italic), icons, and
crowded screens where the element sought has look-alikes beside it (the same label in
another colour or font, a label one letter off, the same button with another label).
No density is given: the search sweeps every scale. Shared by tests/vision and bench.
"""

from __future__ import annotations

import colorsys
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from lab.vision.template import Template
from tests.vision.cases import Case, Perturbation, _render

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FAMILIES = {  # a look-alike "in another font" takes one of another family: visibly other
    "sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansCondensed.ttf"),
    "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerifCondensed-Bold.ttf"),
    "mono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
}
FONTS = tuple(font for fonts in FAMILIES.values() for font in fonts)
WORDS = (
    "Pay", "Cancel", "Confirm", "Next", "Back", "Scan", "Wallet", "Store", "Install", "Open",
    "Share", "Refund", "Profile", "Music", "Photos", "Weather", "Alarm", "Timer", "Maps",
    "Search", "Settings", "Bluetooth", "Display", "Sound", "Battery", "Account", "Help",
    "Play", "Pause", "Record", "Update", "Delete", "Save", "Edit", "Send", "Reply",
)  # fmt: skip
SIZES = ((720, 1280), (1080, 1920), (1280, 720), (1920, 1080), (800, 800), (1440, 900))


@lru_cache(maxsize=64)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / name), size)


def _colour(rng: random.Random, light: bool | None = None) -> tuple[int, int, int]:
    lightness = rng.uniform(0.55, 0.85) if light else rng.uniform(0.15, 0.45)
    if light is None:
        lightness = rng.uniform(0.15, 0.85)
    r, g, b = colorsys.hls_to_rgb(rng.random(), lightness, rng.uniform(0.3, 1.0))
    return int(r * 255), int(g * 255), int(b * 255)


def _chroma(colour: tuple[int, int, int]) -> np.ndarray:
    pixel = np.array([[colour[::-1]]], np.uint8)  # BGR, as OpenCV wants
    return cv2.cvtColor(pixel, cv2.COLOR_BGR2LAB)[0, 0, 1:].astype(float)


def _far_hue(
    rng: random.Random, colour: tuple[int, int, int], luma_like: tuple[int, int, int] | None = None
) -> tuple[int, int, int]:
    """A colour of another hue and about the same lightness: the same element in another
    colour, different enough for a person to tell (Lab chroma 40 apart). `luma_like`: keep
    about that one's luma (a recoloured label stays as legible as the original)."""
    h, lightness, s = colorsys.rgb_to_hls(*(c / 255 for c in colour))
    lightness = min(0.75, max(0.3, lightness))  # near black or white, hues all look alike
    for _ in range(200):
        hue = (h + rng.uniform(0.25, 0.75)) % 1.0
        r, g, b = colorsys.hls_to_rgb(
            hue, rng.uniform(0.25, 0.8) if luma_like else lightness, max(0.6, s)
        )
        other = (int(r * 255), int(g * 255), int(b * 255))
        if luma_like and abs(_luma(other) - _luma(luma_like)) > 25:
            continue
        if np.linalg.norm(_chroma(other) - _chroma(colour)) >= 40:
            return other
    return (255 - colour[0], colour[1], 255 - colour[2])


@dataclass(frozen=True)
class Widget:
    kind: str  # button | label | icon
    text: str
    font: str
    size: int
    fill: tuple[int, int, int] | None
    ink: tuple[int, int, int]
    shape: int = 0  # icon: polygon sides

    def key(self) -> tuple:
        return (self.kind, self.text, self.font, self.size, self.fill, self.ink, self.shape)


def _one_off(rng: random.Random, text: str) -> str:
    """The label with one letter changed (Settings -> Settinqs)."""
    index = rng.randrange(len(text))
    letters = "abcdefghijklmnopqrstuvwxyz"
    new = rng.choice([c for c in letters if c != text[index].lower()])
    return text[:index] + (new.upper() if text[index].isupper() else new) + text[index + 1 :]


def _luma(colour: tuple[int, int, int]) -> float:
    return 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio (1-21); text needs 4.5."""

    def luminance(colour: tuple[int, int, int]) -> float:
        linear = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in (v / 255 for v in colour)
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _legible(rng: random.Random, on: tuple[int, int, int], light: bool) -> tuple[int, int, int]:
    """A colour for text on `on` that meets WCAG's 4.5:1, as designers are asked to."""
    for _ in range(100):
        colour = _colour(rng, light=light)
        if contrast(colour, on) >= 4.5:
            return colour
    return (255, 255, 255) if _luma(on) < 128 else (0, 0, 0)


def _random_widget(
    rng: random.Random, scale: float, background: tuple[int, int, int] = (240, 240, 240)
) -> Widget:
    """A widget legible on its screen: label ink and button text meet WCAG's 4.5:1."""
    kind = rng.choice(("button", "button", "label", "icon"))
    fill = _colour(rng) if kind != "label" else None
    ink = (245, 245, 245) if fill and _luma(fill) < 140 else (20, 20, 20)
    if fill and contrast(ink, fill) < 4.5:
        ink = (
            (0, 0, 0)
            if contrast((0, 0, 0), fill) > contrast((255, 255, 255), fill)
            else (255, 255, 255)
        )
    if kind == "label":
        ink = _legible(rng, background, light=_luma(background) < 128)
    text = rng.choice(WORDS) if kind != "icon" else ""
    size = int(rng.uniform(22, 44) * scale)
    return Widget(kind, text, rng.choice(FONTS), size, fill, ink, rng.randint(3, 8))


def look_alikes(rng: random.Random, widget: Widget) -> list[Widget]:
    """Elements a careless matcher would take for `widget`."""
    if widget.kind == "icon":
        return [
            Widget("icon", "", widget.font, widget.size, _far_hue(rng, widget.fill), widget.ink,
                   widget.shape),
            Widget("icon", "", widget.font, widget.size, widget.fill, widget.ink,
                   widget.shape + 3 if widget.shape < 6 else widget.shape - 3),
        ]  # fmt: skip
    family = next(name for name, fonts in FAMILIES.items() if widget.font in fonts)
    other_font = rng.choice([f for name, fs in FAMILIES.items() if name != family for f in fs])
    other_word = rng.choice([w for w in WORDS if w != widget.text])
    recoloured = (
        Widget(widget.kind, widget.text, widget.font, widget.size,
               _far_hue(rng, widget.fill), widget.ink)
        if widget.fill
        else Widget(widget.kind, widget.text, widget.font, widget.size, None,
                    _far_hue(rng, widget.ink, widget.ink))
    )  # fmt: skip
    return [
        recoloured,
        Widget(widget.kind, widget.text, other_font, widget.size, widget.fill, widget.ink),
        Widget(widget.kind, _one_off(rng, widget.text), widget.font, widget.size, widget.fill,
               widget.ink),
        Widget(widget.kind, other_word, widget.font, widget.size, widget.fill, widget.ink),
    ]  # fmt: skip


def _box(widget: Widget) -> tuple[int, int]:
    if widget.kind == "icon":
        return widget.size * 2, widget.size * 2
    left, top, right, bottom = _font(widget.font, widget.size).getbbox(widget.text)
    pad = widget.size // 2 if widget.kind == "button" else 4
    return right - left + 2 * pad, bottom - top + 2 * pad


def _draw(draw: ImageDraw.ImageDraw, widget: Widget, x: int, y: int) -> tuple[int, int, int, int]:
    width, height = _box(widget)
    if widget.kind == "icon":
        draw.ellipse((x, y, x + width, y + height), fill=widget.fill)
        radius = width * 0.32
        cx, cy = x + width / 2, y + height / 2
        points = [
            (cx + radius * np.cos(2 * np.pi * i / widget.shape - np.pi / 2),
             cy + radius * np.sin(2 * np.pi * i / widget.shape - np.pi / 2))
            for i in range(widget.shape)
        ]  # fmt: skip
        draw.polygon(points, fill=widget.ink)
    else:
        if widget.fill:
            draw.rounded_rectangle(
                (x, y, x + width, y + height), radius=height // 4, fill=widget.fill
            )
        face = _font(widget.font, widget.size)
        left, top, _, _ = face.getbbox(widget.text)
        pad = widget.size // 2 if widget.kind == "button" else 4
        draw.text((x + pad - left, y + pad - top), widget.text, font=face, fill=widget.ink)
    return x, y, x + width, y + height


@dataclass
class ForeignScreen:
    image: np.ndarray  # BGR
    placed: list[tuple[Widget, tuple[int, int, int, int]]]

    def count(self, widget: Widget) -> int:
        return sum(1 for w, _ in self.placed if w.key() == widget.key())


def screen(rng: random.Random, target: Widget | None = None, crowded: bool = True) -> ForeignScreen:
    """A screen of random widgets on a random background; `target` (with look-alikes
    around it when `crowded`) placed once when given."""
    width, height = rng.choice(SIZES)
    scale = min(width, height) / 720
    light = rng.random() < 0.5
    background = _colour(rng, light=light)
    if target is not None and target.kind == "label":  # its ink must stand out (WCAG)
        for _ in range(100):
            if contrast(background, target.ink) >= 4.5:
                break
            background = _colour(rng, light=_luma(target.ink) < 128)
        else:
            background = (255, 255, 255) if _luma(target.ink) < 128 else (0, 0, 0)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    if rng.random() < 0.5:  # a gradient band, as many UIs have
        top = _colour(rng)
        for row in range(height // 4):
            mix = row / (height // 4)
            draw.line(
                [(0, row), (width, row)],
                fill=tuple(
                    int(a * (1 - mix) + b * mix) for a, b in zip(top, background, strict=True)
                ),
            )
    wanted: list[Widget] = []
    if target is not None:
        wanted.append(target)
        if crowded:
            wanted += look_alikes(rng, target)
    others = [_random_widget(rng, scale, background) for _ in range(rng.randint(8, 22))]
    if target is not None:  # only the look-alikes may resemble the target, not chance
        others = (
            [w for w in others if w.text != target.text and w.kind != "icon"]
            if target.kind == "icon"
            else [w for w in others if w.text != target.text]
        )
    wanted += others
    placed: list[tuple[Widget, tuple[int, int, int, int]]] = []
    for widget in wanted:
        w, h = _box(widget)
        for _ in range(40):  # a free spot, with a margin
            x, y = rng.randrange(8, max(9, width - w - 8)), rng.randrange(8, max(9, height - h - 8))
            box = (x - 6, y - 6, x + w + 6, y + h + 6)
            if all(box[2] <= b[0] or b[2] <= box[0] or box[3] <= b[1] or b[3] <= box[1]
                   for _, b in placed):  # fmt: skip
                placed.append((widget, _draw(draw, widget, x, y)))
                break
    bgr = np.asarray(image)[:, :, ::-1].copy()
    return ForeignScreen(bgr, placed)


def positives(count: int, seed: int = 21) -> list[Case]:
    """A widget cut from one screen, sought on a perturbed copy of it (0.5-2x, shifted,
    brightness, grain, JPEG 60) among its look-alikes."""
    rng = random.Random(seed)
    drawn = []
    while len(drawn) < count:
        target = _random_widget(rng, rng.uniform(0.8, 1.6))
        shown = screen(rng, target, crowded=rng.random() < 0.8)
        if not shown.placed or shown.placed[0][0] is not target:
            continue  # no room for it on this one
        drawn.append((shown, Perturbation.draw(rng)))
    images = _render([(s.image, change) for s, change in drawn])
    cases = []
    for (shown, change), image in zip(drawn, images, strict=True):
        widget, bounds = shown.placed[0]
        left, top, right, bottom = bounds
        template = Template(shown.image[top:bottom, left:right].copy(), name=widget.text or "icon")
        centre = ((left + right) / 2, (top + bottom) / 2)
        cases.append(
            Case(
                image,
                template,
                0,
                [change.moved(*centre)],
                f"foreign {widget.kind} {widget.text!r} {widget.font}@{change.scale:.2f}",
                (shown.image.shape[1], shown.image.shape[0]),
                centre,
            )
        )
    return cases


def negatives(count: int, seed: int = 23) -> list[Case]:
    """A widget sought on a screen that shows only its look-alikes."""
    rng = random.Random(seed)
    drawn = []
    while len(drawn) < count:
        target = _random_widget(rng, rng.uniform(0.8, 1.6))
        source = screen(rng, target, crowded=False)
        if not source.placed or source.placed[0][0] is not target:
            continue
        decoys = screen(rng, None, crowded=False)
        canvas = Image.fromarray(decoys.image[:, :, ::-1].copy())
        draw = ImageDraw.Draw(canvas)
        for alike in look_alikes(rng, target):
            _draw(
                draw,
                alike,
                rng.randrange(8, canvas.width // 2),
                rng.randrange(8, canvas.height // 2),
            )
        drawn.append((source, np.asarray(canvas)[:, :, ::-1].copy(), Perturbation.draw(rng)))
    images = _render([(image, change) for _, image, change in drawn])
    cases = []
    for (source, _, change), image in zip(drawn, images, strict=True):
        widget, (left, top, right, bottom) = source.placed[0]
        template = Template(source.image[top:bottom, left:right].copy(), name=widget.text or "icon")
        cases.append(
            Case(
                image,
                template,
                0,
                [],
                f"foreign {widget.kind} {widget.text!r} among look-alikes@{change.scale:.2f}",
                (source.image.shape[1], source.image.shape[0]),
                ((left + right) / 2, (top + bottom) / 2),
            )
        )
    return cases
