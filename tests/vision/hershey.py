"""Screens drawn with OpenCV alone, unlike the lab's own and tests/vision/foreign.py:
random sizes, overlapping filled boxes (some with borders), short words drawn with
cv2.putText and its FONT_HERSHEY_* faces (stroke fonts in OpenCV 4; OpenCV 5 draws them with
its built-in face at several weights and sizes), small circles. The template is a crop
around one element (a box and its word, a bare word, a cluster of circles), sought on a
copy of the screen shifted by a few pixels (sub-pixel), with other brightness and
contrast, grain and JPEG 60; no density is given (the search sweeps 0.5-2x). Negatives show
look-alikes in its place and about: the same word on another fill or in another colour,
in another weight or face, one letter off, another word on the same box, the circles with
the largest recoloured, moved or filled. Text meets WCAG's contrast (4.5:1, 3:1 for the
circle look-alikes change). Deterministic by seed; shared by tests/vision and bench.
"""

from __future__ import annotations

import colorsys
import random
from dataclasses import dataclass, replace

import cv2
import numpy as np

from lab.vision.template import Template
from tests.vision.cases import Case
from tests.vision.foreign import contrast

Colour = tuple[int, int, int]  # BGR, as OpenCV draws
FONTS = (
    cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_PLAIN,
    cv2.FONT_HERSHEY_COMPLEX, cv2.FONT_HERSHEY_TRIPLEX, cv2.FONT_HERSHEY_COMPLEX_SMALL,
    cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, cv2.FONT_HERSHEY_SCRIPT_COMPLEX,
)  # fmt: skip
_HALF_HEIGHT = (cv2.FONT_HERSHEY_PLAIN, cv2.FONT_HERSHEY_COMPLEX_SMALL)  # drawn at 2x scale
WORDS = (
    "OK", "Go", "Pay", "Next", "Back", "Menu", "Stop", "Play", "Save", "Edit", "Send", "Exit",
    "Home", "Done", "Skip", "Help", "Open", "Scan", "Undo", "Copy", "Zoom", "Find", "Sync",
    "Retry", "Close", "Apply", "Reset", "Start", "Pause", "Mute", "Call", "Mail", "Info",
    "Login", "Share", "Print", "12:30", "v2.1", "42%", "Wi-Fi", "Files", "Clock",
)  # fmt: skip


def _colour(rng: random.Random) -> Colour:
    r, g, b = colorsys.hls_to_rgb(rng.random(), rng.uniform(0.15, 0.85), rng.uniform(0.3, 1.0))
    return int(b * 255), int(g * 255), int(r * 255)


def _rgb(colour: Colour) -> Colour:  # and back: BGR and RGB are each other's reverse
    return colour[2], colour[1], colour[0]


def _lab(colour: Colour) -> np.ndarray:
    return cv2.cvtColor(np.array([[colour]], np.uint8), cv2.COLOR_BGR2LAB)[0, 0].astype(float)


def _far_hue(rng: random.Random, colour: Colour) -> Colour:
    """Another hue (a quarter to three quarters of the wheel away) at about the same
    lightness (Lab L within 12), 40 apart in Lab chroma: the same element in another
    colour, as a person would name it, not merely paler or deeper."""
    original = _lab(colour)
    hue, lightness, saturation = colorsys.rgb_to_hls(*(c / 255 for c in _rgb(colour)))
    for _ in range(400):
        r, g, b = colorsys.hls_to_rgb(
            (hue + rng.uniform(0.25, 0.75)) % 1.0,
            min(0.75, max(0.25, lightness + rng.uniform(-0.15, 0.15))),
            max(0.6, saturation),
        )
        other = _rgb((int(r * 255), int(g * 255), int(b * 255)))
        lab = _lab(other)
        if abs(lab[0] - original[0]) < 12 and np.linalg.norm(lab[1:] - original[1:]) >= 40:
            return other
    return 255 - colour[0], colour[1], 255 - colour[2]


def _legible(rng: random.Random, on: list[Colour], ratio: float = 4.5) -> Colour:
    """Ink for text over every colour of `on`: WCAG's 4.5:1 when a colour does (3:1 is
    its bar for graphics), else black or white, whichever stands out more."""
    for _ in range(60):
        ink = _colour(rng)
        if all(contrast(_rgb(ink), _rgb(c)) >= ratio for c in on):
            return ink
    black, white = (0, 0, 0), (255, 255, 255)
    return max((black, white), key=lambda ink: min(contrast(ink, _rgb(c)) for c in on))


def _one_off(rng: random.Random, text: str) -> str:
    """The word with one letter or digit changed (Pay -> Pey, 12:30 -> 12:36)."""
    index = rng.choice([i for i, c in enumerate(text) if c.isalnum()])
    pool = "0123456789" if text[index].isdigit() else "abcdefghijkmnopqrstuvwxyz"
    new = rng.choice([c for c in pool if c != text[index].lower()])
    return text[:index] + (new.upper() if text[index].isupper() else new) + text[index + 1 :]


@dataclass(frozen=True)
class Dot:
    dx: int  # centre, from the cluster's top-left corner
    dy: int
    radius: int
    colour: Colour
    thickness: int  # -1: filled


@dataclass(frozen=True)
class Element:
    kind: str  # box | word | dots
    text: str = ""
    font: int = cv2.FONT_HERSHEY_SIMPLEX
    scale: float = 1.0
    thickness: int = 1
    line: int = cv2.LINE_8
    ink: Colour = (0, 0, 0)
    fill: Colour | None = None  # box
    border: Colour | None = None  # box
    pad: int = 6  # box: around the text
    dots: tuple[Dot, ...] = ()

    def name(self) -> str:
        return f"{self.kind} {self.text!r} font {self.font} x{self.scale:.2f}/{self.thickness}"

    def text_size(self) -> tuple[int, int, int]:
        (w, h), baseline = cv2.getTextSize(self.text, self.font, self.scale, self.thickness)
        return w + self.thickness, h + self.thickness, baseline

    def size(self) -> tuple[int, int]:
        if self.kind == "dots":
            right = max(d.dx + d.radius for d in self.dots)
            return right + 1, max(d.dy + d.radius for d in self.dots) + 1
        width, height, baseline = self.text_size()
        pad = self.pad if self.kind == "box" else 1
        return width + 2 * pad, height + baseline + 2 * pad

    def draw(self, image: np.ndarray, x: int, y: int) -> tuple[int, int, int, int]:
        width, height = self.size()
        if self.kind == "dots":
            for d in self.dots:
                cv2.circle(image, (x + d.dx, y + d.dy), d.radius, d.colour, d.thickness, self.line)
            return x, y, x + width, y + height
        pad = self.pad if self.kind == "box" else 1
        if self.fill is not None:
            cv2.rectangle(image, (x, y), (x + width - 1, y + height - 1), self.fill, -1)
        if self.border is not None:
            cv2.rectangle(image, (x, y), (x + width - 1, y + height - 1), self.border, 2)
        _, text_height, _ = self.text_size()
        origin = (x + pad, y + pad + text_height)
        cv2.putText(image, self.text, origin, self.font, self.scale, self.ink, self.thickness,
                    self.line)  # fmt: skip
        return x, y, x + width, y + height


def _font(rng: random.Random) -> tuple[int, float, int]:
    """(font, scale, thickness) at a legible size."""
    font = rng.choice(FONTS)
    scale = rng.uniform(0.5, 1.6) * (2 if font in _HALF_HEIGHT else 1)
    thickness = rng.randint(1, max(1, min(3, round(scale * 1.6))))
    if rng.random() < 0.15:
        font |= cv2.FONT_ITALIC
    return font, scale, thickness


def ink_likeness(a: Element, b: Element) -> float:
    """Correlation of two words' ink, `b`'s stretched over `a`'s box (a word a little
    wider or taller is not another font)."""
    inks = []
    for item in (a, b):
        width, height, baseline = item.text_size()
        canvas = np.zeros((height + baseline + 8, width + 8), np.uint8)
        cv2.putText(canvas, item.text, (4, 4 + height), item.font, item.scale, 255,
                    item.thickness, cv2.LINE_AA)  # fmt: skip
        x, y, w, h = cv2.boundingRect(canvas)
        inks.append(canvas[y : y + h, x : x + w].astype(np.float32))
    stretched = cv2.resize(inks[1], inks[0].shape[::-1], interpolation=cv2.INTER_AREA)
    return float(cv2.matchTemplate(inks[0], stretched, cv2.TM_CCOEFF_NORMED)[0, 0])


def _restyled(rng: random.Random, target: Element) -> Element:
    """The word in another face or weight at the same height, one a person tells apart
    (their inks, stretched over the same box, correlate below 0.7). OpenCV 5 draws the
    Hershey constants with one built-in face at several weights and sizes, so there
    "another font" is mostly another weight; OpenCV 4 draws the Hershey stroke fonts."""
    for _ in range(60):
        font, scale, thickness = _font(rng)
        other = replace(target, font=font, scale=scale, thickness=thickness)
        other = replace(other, scale=scale * target.text_size()[1] / other.text_size()[1])
        if ink_likeness(target, other) < 0.7:
            return other
    return replace(target, text=rng.choice([w for w in WORDS if w != target.text]))


def _dots(rng: random.Random) -> tuple[Dot, ...]:
    count = rng.randint(2, 5)
    dots: list[Dot] = []
    while len(dots) < count:
        radius = rng.randint(6, 10) if not dots else rng.randint(3, 10)  # one to tell apart
        dot = Dot(rng.randint(0, 40), rng.randint(0, 40), radius, _colour(rng),
                  rng.choice((-1, -1, 1, 2)))  # fmt: skip
        if all(np.hypot(dot.dx - o.dx, dot.dy - o.dy) > dot.radius + o.radius + 2 for o in dots):
            dots.append(dot)
    left = min(d.dx - d.radius for d in dots) - 1
    top = min(d.dy - d.radius for d in dots) - 1
    return tuple(replace(d, dx=d.dx - left, dy=d.dy - top) for d in dots)


def element(rng: random.Random, on: list[Colour], words: tuple[str, ...] = WORDS) -> Element:
    """A random element legible on `on` (what lies under a bare word)."""
    kind = rng.choice(("box", "box", "word", "dots"))
    line = rng.choice((cv2.LINE_8, cv2.LINE_AA))
    if kind == "dots":
        return Element("dots", line=line, dots=_dots(rng))
    font, scale, thickness = _font(rng)
    fill = _colour(rng) if kind == "box" else None
    border = _colour(rng) if fill is not None and rng.random() < 0.4 else None
    ink = _legible(rng, [fill] if fill is not None else on)
    return Element(kind, rng.choice(words), font, scale, thickness, line, ink, fill, border,
                   rng.randint(4, 14))  # fmt: skip


def look_alikes(rng: random.Random, target: Element) -> list[Element]:
    """Elements a careless matcher takes for `target`, each visibly not it."""
    if target.kind == "dots":  # the largest dot changed: a 3 px ring loses its colour in JPEG
        i = max(range(len(target.dots)), key=lambda k: target.dots[k].radius)
        dot = target.dots[i]
        changed = (
            replace(dot, colour=_far_hue(rng, dot.colour)),
            replace(dot, dx=dot.dx + 2 * dot.radius + 3),
            replace(dot, thickness=2 if dot.thickness < 0 else -1),  # ring <-> disc
        )
        return [replace(target, dots=(*target.dots[:i], d, *target.dots[i + 1 :])) for d in changed]
    recoloured = (
        replace(target, fill=_far_hue(rng, target.fill))
        if target.fill is not None
        else replace(target, ink=_far_hue(rng, target.ink))
    )
    return [
        recoloured,
        _restyled(rng, target),
        replace(target, text=_one_off(rng, target.text)),
        replace(target, text=rng.choice([w for w in WORDS if w != target.text])),
    ]


@dataclass(frozen=True)
class Shake:
    """What a capture does: a sub-pixel shift, brightness, contrast, grain, JPEG 60."""

    dx: float
    dy: float
    gain: float  # contrast about mid-grey
    offset: float  # brightness, 0-255 units
    noise: float  # sigma of the Gaussian grain
    seed: int

    @classmethod
    def draw(cls, rng: random.Random) -> Shake:
        return cls(rng.uniform(-6, 6), rng.uniform(-6, 6), rng.uniform(0.8, 1.2),
                   rng.uniform(-25, 25), rng.uniform(0, 6), rng.randrange(2**31))  # fmt: skip

    def apply(self, image: np.ndarray) -> np.ndarray:
        shift = np.float32([[1, 0, self.dx], [0, 1, self.dy]])
        out = cv2.warpAffine(image, shift, image.shape[1::-1], flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
        # saturating (convertScaleAbs would mirror what falls below 0)
        out = cv2.addWeighted(out, self.gain, out, 0, 128 * (1 - self.gain) + self.offset)
        cv2.setRNGSeed(self.seed)
        grain = np.empty(out.shape, np.int16)
        cv2.randn(grain, (0,) * 3, (self.noise,) * 3)
        out = cv2.add(out, grain, dtype=cv2.CV_8U)
        ok, jpeg = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 60])
        assert ok
        return cv2.imdecode(jpeg, cv2.IMREAD_COLOR)


@dataclass
class Layout:
    """A screen as the draw calls that make it, so a negative can swap one element."""

    size: tuple[int, int]  # width, height
    background: Colour
    panels: list[tuple[tuple[int, int, int, int], Colour, Colour | None]]
    placed: list[tuple[Element, int, int]]

    def render(self) -> np.ndarray:
        width, height = self.size
        image = np.empty((height, width, 3), np.uint8)
        image[:] = self.background
        for (left, top, right, bottom), fill, border in self.panels:
            cv2.rectangle(image, (left, top), (right, bottom), fill, -1)
            if border is not None:
                cv2.rectangle(image, (left, top), (right, bottom), border, 3)
        for item, x, y in self.placed:
            item.draw(image, x, y)
        return image

    def under(self, x: int, y: int, width: int = 0, height: int = 0) -> list[Colour]:
        """The colours the panels leave at the corners and the centre of a box."""
        found = []
        for px, py in ((x, y), (x + width, y), (x, y + height), (x + width, y + height),
                       (x + width // 2, y + height // 2)):  # fmt: skip
            colour = self.background
            for (left, top, right, bottom), fill, _ in self.panels:
                if left <= px <= right and top <= py <= bottom:
                    colour = fill
            found.append(colour)
        return found


def layout(rng: random.Random, words: tuple[str, ...] = WORDS) -> Layout:
    """Overlapping panels and 10-30 elements, some on top of others."""
    width, height = rng.randint(420, 1600), rng.randint(360, 1200)
    panels = []
    for _ in range(rng.randint(2, 7)):
        w, h = rng.randint(width // 8, width // 2), rng.randint(height // 8, height // 2)
        left, top = rng.randrange(0, width - w), rng.randrange(0, height - h)
        border = _colour(rng) if rng.random() < 0.4 else None
        panels.append(((left, top, left + w, top + h), _colour(rng), border))
    shown = Layout((width, height), _colour(rng), panels, [])
    for _ in range(rng.randint(10, 30)):
        x, y = rng.randrange(0, width - 40), rng.randrange(0, height - 30)
        shown.placed.append((element(rng, shown.under(x, y, 40, 20), words), x, y))
    return shown


def _spot(rng: random.Random, shown: Layout, item: Element, margin: int = 16) -> tuple[int, int]:
    room = [max(margin + 1, s - i - margin) for s, i in zip(shown.size, item.size(), strict=True)]
    return rng.randrange(margin, room[0]), rng.randrange(margin, room[1])


def _drawn(rng: random.Random) -> tuple[Layout, Element, tuple[int, int, int, int]]:
    """A layout with a target element on top (no other element shows its word) and the
    template's crop around it (2-8 px of what surrounds it)."""
    while True:
        target = element(rng, [(128, 128, 128)])
        shown = layout(rng, tuple(w for w in WORDS if w != target.text))
        x, y = _spot(rng, shown, target)
        width, height = target.size()
        under, ink, ratio = shown.under(x, y, width, height), target.ink, 4.5  # WCAG, text
        if target.kind == "word":  # re-inked for what lies under it
            target = replace(target, ink=(ink := _legible(rng, under)))
        if target.kind == "dots":  # the largest dot, the one look-alikes change, stands out
            main = max(target.dots, key=lambda d: d.radius)
            r = main.radius
            under = shown.under(x + main.dx - r, y + main.dy - r, 2 * r, 2 * r)
            ink, ratio = _legible(rng, under, 3.0), 3.0  # WCAG's bar for graphics
            dots = (replace(d, colour=ink, thickness=-1 if d.thickness < 0 else 2)
                    if d is main else d for d in target.dots)  # fmt: skip
            target = replace(target, dots=tuple(dots))
        if target.kind != "box" and min(contrast(_rgb(ink), _rgb(c)) for c in under) < ratio:
            continue  # over panels no ink stands out on
        if width > shown.size[0] // 2 or height > shown.size[1] // 2 or min(width, height) < 10:
            continue
        shown.placed.append((target, x, y))
        pad = rng.randint(2, 8)
        return shown, target, (x - pad, y - pad, x + width + pad, y + height + pad)


def _case(image: np.ndarray, crop: np.ndarray, bounds, expected, source: str, size) -> Case:
    centre = ((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2)
    return Case(image, Template(crop, name=source), 0, expected, source, size, centre)


def positives(count: int, seed: int = 41) -> list[Case]:
    """An element cut from a screen, sought on a shaken copy; on most, look-alikes of it
    stand elsewhere on the screen (under the target when they overlap it)."""
    rng = random.Random(seed)
    cases = []
    for number in range(count):
        shown, target, bounds = _drawn(rng)
        if rng.random() < 0.7:
            placed = shown.placed.pop()
            for alike in look_alikes(rng, target):
                shown.placed.append((alike, *_spot(rng, shown, alike)))
            shown.placed.append(placed)
        change = Shake.draw(rng)
        image = shown.render()
        left, top, right, bottom = bounds
        crop = image[top:bottom, left:right].copy()
        centre = ((left + right) / 2 + change.dx, (top + bottom) / 2 + change.dy)
        source = f"hershey+{number} {target.name()}"
        cases.append(_case(change.apply(image), crop, bounds, [centre], source, shown.size))
    return cases


def negatives(count: int, seed: int = 43) -> list[Case]:
    """An element cut from a screen, sought on a shaken copy where a look-alike took its
    place and others stand elsewhere."""
    rng = random.Random(seed)
    cases = []
    for number in range(count):
        shown, target, bounds = _drawn(rng)
        left, top, right, bottom = bounds
        crop = shown.render()[top:bottom, left:right].copy()
        _, x, y = shown.placed.pop()
        alikes = look_alikes(rng, target)
        rng.shuffle(alikes)
        for alike in alikes[1:]:
            shown.placed.append((alike, *_spot(rng, shown, alike)))
        shown.placed.append((alikes[0], x, y))
        image = Shake.draw(rng).apply(shown.render())
        source = f"hershey-{number} {target.name()} as {alikes[0].name()}"
        cases.append(_case(image, crop, bounds, [], source, shown.size))
    return cases
