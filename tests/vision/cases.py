"""A generated benchmark for `locate`: real screenshots of the virtual devices, templates
cropped from their UI elements, and perturbed copies (JPEG 60, noise, 1-3 px shifts,
brightness +-20 %, scales 0.5-2). Shared by tests/vision and bench/bench_vision."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np

from lab.device.dut import Dut
from lab.device.hierarchy import bounds_of, views
from lab.vision.template import Template


@dataclass
class Shot:
    name: str  # e.g. "tv/settings"
    image: np.ndarray
    density: int
    eye_width: int | None  # a stereo panel shows every element twice
    elements: list[tuple[str, tuple[int, int, int, int]]]  # (text, bounds)
    texts: list[str]  # every text and description on the screen, repeats included

    def shows(self, text: str) -> bool:
        return any(text in shown for shown in self.texts)


@dataclass
class Case:
    screen: np.ndarray
    template: Template
    screen_density: int
    expected: list[tuple[float, float]]  # possible centres (both eyes on a headset)
    source: str
    # what Airtest's recorder keeps instead of a density: the size of the screen the
    # template was cut from, and the template's centre on it
    recorded_on: tuple[int, int]
    recorded_at: tuple[float, float]


SCREENS = {
    "home": "input keyevent HOME",
    "settings": "am start -n com.tos.settings/.Settings",
    "about": "am start -n com.tos.settings/.About",
    "language": "am start -n com.tos.settings/.Language",
}


def take_shots(duts: dict[str, Dut]) -> list[Shot]:
    """Every screen of SCREENS on every device, keyed by class, with its hierarchy."""
    taken = []
    for cls, dut in duts.items():
        for name, command in SCREENS.items():
            dut.shell(command, check=True)
            image, hierarchy = dut.screenshot(), dut.hierarchy()
            eye = dut.info.display.width // 2 if dut.info.display.shape == "stereo" else None
            taken.append(
                Shot(
                    f"{cls}/{name}",
                    image,
                    dut.info.display.density,
                    eye,
                    elements(hierarchy, image),
                    texts(hierarchy),
                )
            )
        dut.shell("input keyevent HOME")
    return taken


def texts(hierarchy: str) -> list[str]:
    """Texts of the screen, each as often as it shows (a string shown twice, as the
    device name and the model can be, has two right answers: cases leave it out)."""
    found = []
    for node in views(hierarchy):
        for value in dict.fromkeys((node.get("text"), node.get("content-desc"))):
            if value:
                found.append(value)
    return found


def _ink(
    image: np.ndarray, bounds: tuple[int, int, int, int], pad: int = 6
) -> tuple[int, int, int, int] | None:
    """`bounds` shrunk to what is drawn in it (pixels unlike its most common colour), as a
    person would crop a template: the label or icon, not a mostly empty bar."""
    left, top, right, bottom = bounds
    box = image[top:bottom, left:right].reshape(-1, 3).astype(np.int32)
    # one int per colour: np.unique over rows (axis=0) cost 100x more, a fifth of a vision
    # test; packed keys sort as the rows do, so ties go to the same colour
    keys = box[:, 0] << 16 | box[:, 1] << 8 | box[:, 2]
    colours, counts = np.unique(keys, return_counts=True)
    key = int(colours[counts.argmax()])
    background = np.array([key >> 16, (key >> 8) & 255, key & 255])
    ink = np.abs(image[top:bottom, left:right].astype(int) - background).max(axis=2) > 40
    ys, xs = np.nonzero(ink)
    if len(xs) < 30:
        return None
    x0, x1 = max(left, left + xs.min() - pad), min(right, left + xs.max() + 1 + pad)
    y0, y1 = max(top, top + ys.min() - pad), min(bottom, top + ys.max() + 1 + pad)
    return int(x0), int(y0), int(x1), int(y1)


def elements(hierarchy: str, image: np.ndarray) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Templates a person would crop: the labels, switches, tiles and titles of the screen
    (tight to their ink), with the text they show, from uiautomator XML."""
    found = []
    for node in views(hierarchy):
        rid = node.get("resource-id", "")
        left, top, right, bottom = bounds_of(node)
        right, bottom = min(right, image.shape[1]), min(bottom, image.shape[0])
        if right - left < 12 or bottom - top < 12 or "statusbar" in rid or ":id/clock" in rid:
            continue
        interesting = node.get("clickable") == "true" or rid.endswith(
            ("_label", ":id/title", "_switch", "_value")
        )
        if not interesting:
            continue
        crop = _ink(image, (left, top, right, bottom))
        if crop is None:
            continue
        width, height = crop[2] - crop[0], crop[3] - crop[1]
        if max(width, height) / min(width, height) > 8:
            continue
        text = node.get("text") or node.get("content-desc") or rid
        found.append((text, crop))
    return found


@dataclass(frozen=True)
class Perturbation:
    scale: float
    dx: int
    dy: int
    brightness: float
    noise: float  # sigma of the Gaussian grain, 0-255 units
    seed: int

    @classmethod
    def draw(cls, pyrng: random.Random) -> Perturbation:
        return cls(
            float(np.exp(pyrng.uniform(np.log(0.5), np.log(2.0)))),
            pyrng.choice([-3, -2, -1, 1, 2, 3]),
            pyrng.choice([-3, -2, -1, 1, 2, 3]),
            pyrng.uniform(0.8, 1.2),
            pyrng.uniform(0, 6),
            pyrng.randrange(2**31),
        )

    def moved(self, x: float, y: float) -> tuple[float, float]:
        """Where a point of the original screen is on the perturbed one."""
        return x * self.scale + self.dx, y * self.scale + self.dy

    def apply(self, image: np.ndarray) -> np.ndarray:
        """Scaled, shifted, brightened, grained and JPEG-60 copy of `image`."""
        out = cv2.resize(
            image,
            None,
            fx=self.scale,
            fy=self.scale,
            interpolation=cv2.INTER_AREA if self.scale < 1 else cv2.INTER_LINEAR,
        )
        out = cv2.warpAffine(
            out,
            np.float32([[1, 0, self.dx], [0, 1, self.dy]]),
            (out.shape[1], out.shape[0]),
            borderMode=cv2.BORDER_REPLICATE,
        )
        out = cv2.convertScaleAbs(out, alpha=self.brightness)
        # OpenCV's seeded randn: 13x numpy's normal() on a 2x headset screen (5760x3200),
        # which made generating a case cost 15x locating in it
        cv2.setRNGSeed(self.seed)
        grain = np.empty(out.shape, np.int16)
        cv2.randn(grain, (0,) * out.shape[2], (self.noise,) * out.shape[2])
        out = cv2.add(out, grain, dtype=cv2.CV_8U)
        ok, jpeg = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 60])
        assert ok
        return cv2.imdecode(jpeg, cv2.IMREAD_COLOR)


def _render(jobs: list[tuple[np.ndarray, Perturbation]]) -> list[np.ndarray]:
    """The perturbed screens, two at a time: OpenCV lets go of the GIL, and a case costs
    more to make than to search."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda job: job[1].apply(job[0]), jobs))


def _recorded(shot: Shot, bounds: tuple[int, int, int, int]) -> dict:
    height, width = shot.image.shape[:2]
    centre = ((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2)
    return {"recorded_on": (width, height), "recorded_at": centre}


def positives(shots: list[Shot], count: int, seed: int = 7) -> list[Case]:
    pyrng = random.Random(seed)
    # a template whose text also shows elsewhere on its screen ("13" inside a build
    # fingerprint) has several right answers: leave those out
    pool = [
        (shot, text, bounds)
        for shot in shots
        for text, bounds in shot.elements
        if sum(text in other for other in shot.texts) <= 1
    ]
    drawn = [(pyrng.choice(pool), Perturbation.draw(pyrng)) for _ in range(count)]
    screens = _render([(shot.image, change) for (shot, _, _), change in drawn])
    cases = []
    for ((shot, text, bounds), change), screen in zip(drawn, screens, strict=True):
        template = Template.crop(shot.image, bounds, shot.density, name=f"{shot.name}:{text}")
        cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
        centres = [(cx, cy)] + ([(cx + shot.eye_width, cy)] if shot.eye_width else [])
        expected = [change.moved(x, y) for x, y in centres]
        cases.append(
            Case(
                screen,
                template,
                round(shot.density * change.scale),
                expected,
                f"{shot.name}:{text}@{change.scale:.2f}",
                **_recorded(shot, bounds),
            )
        )
    return cases


def negatives(shots: list[Shot], count: int, seed: int = 11) -> list[Case]:
    """Templates searched on a screen of the same class that does not show them."""
    pyrng = random.Random(seed)
    pairs = []
    for target in shots:
        for source in shots:
            if source is target or source.name.split("/")[0] != target.name.split("/")[0]:
                continue
            for text, bounds in source.elements:
                if not target.shows(text):
                    pairs.append((source, text, bounds, target))
    drawn = [(pyrng.choice(pairs), Perturbation.draw(pyrng)) for _ in range(count)]
    screens = _render([(target.image, change) for (*_, target), change in drawn])
    cases = []
    for ((source, text, bounds, target), change), screen in zip(drawn, screens, strict=True):
        template = Template.crop(source.image, bounds, source.density, name=f"{source.name}:{text}")
        cases.append(
            Case(
                screen,
                template,
                round(target.density * change.scale),
                [],
                f"{source.name}:{text} on {target.name}@{change.scale:.2f}",
                **_recorded(source, bounds),
            )
        )
    return cases


def hit(case: Case, centre: tuple[int, int] | None, tolerance: float = 3.0) -> bool:
    if centre is None:
        return False
    return any(
        abs(centre[0] - x) <= tolerance and abs(centre[1] - y) <= tolerance
        for x, y in case.expected
    )
