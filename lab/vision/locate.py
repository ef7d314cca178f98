"""Find a template on a screen: grey TM_CCOEFF_NORMED on a coarse copy of the screen over
the candidate scales, refined at full resolution around the best few spots, then, best
first, checks that the spot holds up piece by piece (lab/vision/confirm.py: a red "Pay"
button must not match a grey one, nor "Pay" in another font, nor "Pey").

Scales come from densities when both are known (a template captured on a 320 dpi TV is
searched at 560/320 on a 560 dpi headset); otherwise the search sweeps 0.5x-2x.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np

from lab.vision.confirm import grey as _grey
from lab.vision.confirm import holds_up
from lab.vision.errors import VisionError
from lab.vision.template import Template

UNKNOWN_SCALES = (0.5, 2.0)
SWEEP_STEP = 1.06  # between sweep scales; the refinement covers the gaps
_COARSE_SIDE = 480  # the coarse screen's longer side
_MIN_COARSE_TEMPLATE = 9  # the template's shorter side at coarse level, in pixels
_WORKERS = os.cpu_count() or 2
_POOL = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="locate")


@dataclass(frozen=True)
class Match:
    bounds: tuple[int, int, int, int]  # left, top, right, bottom
    score: float
    scale: float

    @property
    def center(self) -> tuple[int, int]:
        left, top, right, bottom = self.bounds
        return (left + right) // 2, (top + bottom) // 2


@dataclass(frozen=True)
class _Spot:
    score: float
    scale: float
    x: int  # full-resolution position of the template's top-left corner
    y: int


def scales_for(
    template: Template, screen_density: int | None, scale: float | None
) -> tuple[list[float], bool]:
    """(scales to try, whether the scale is known)."""
    if scale:
        return [scale], True
    if template.density and screen_density:
        # densities are nominal (a "320 dpi" UI is not scaled exactly 320/440 on a 440 dpi
        # panel): search a narrow band around the expected scale
        expected = screen_density / template.density
        return [expected * f for f in (0.97, 1.0, 1.03)], True
    low, high = UNKNOWN_SCALES
    count = int(math.log(high / low) / math.log(SWEEP_STEP)) + 1
    return [low * SWEEP_STEP**i for i in range(count)] + [high], False


def _as_template(template: Template | np.ndarray) -> Template:
    return template if isinstance(template, Template) else Template(template)


def _resize(image: np.ndarray, factor: float) -> np.ndarray:
    width = max(1, round(image.shape[1] * factor))
    height = max(1, round(image.shape[0] * factor))
    method = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
    return cv2.resize(image, (width, height), interpolation=method)


def _peaks(
    result: np.ndarray, floor: float, limit: int, radius: int
) -> list[tuple[float, int, int]]:
    """The best `limit` maxima of a match map above `floor`, each blanking its neighbourhood."""
    found = []
    work = result
    for _ in range(limit):
        _, score, _, (x, y) = cv2.minMaxLoc(work)
        if score < floor:
            break
        found.append((float(score), int(x), int(y)))
        if work is result:
            work = result.copy()
        work[max(0, y - radius) : y + radius + 1, max(0, x - radius) : x + radius + 1] = -1.0
    return found


def _coarse_spots(
    screen_g: np.ndarray, tmpl_g: np.ndarray, scales: list[float], floor: float, per_scale: int
) -> tuple[list[_Spot], float]:
    """Match every scale on the coarsest pyramid level where the template still has
    `_MIN_COARSE_TEMPLATE` pixels on its shorter side: a large template at 2x is searched on
    a small screen, a small one at 0.5x at full resolution."""
    levels = {1: screen_g}
    longest_factor = max(1.0, max(screen_g.shape[:2]) / _COARSE_SIDE)
    jobs: list[tuple[float, int]] = []
    for scale in scales:
        allowed = min(longest_factor, min(tmpl_g.shape[:2]) * scale / _MIN_COARSE_TEMPLATE)
        factor = 1 if allowed < 2 else 2 ** int(math.log2(allowed))
        if factor not in levels:
            levels[factor] = _resize(screen_g, 1 / factor)
        jobs.append((scale, factor))

    def match(job: tuple[float, int]) -> tuple[list[_Spot], int]:
        """The spots of one scale, and its pyramid factor (0 when it could not be tried)."""
        scale, factor = job
        screen_c = levels[factor]
        tmpl_c = _resize(tmpl_g, scale / factor)
        if (
            tmpl_c.shape[0] > screen_c.shape[0]
            or tmpl_c.shape[1] > screen_c.shape[1]
            or min(tmpl_c.shape[:2]) < 4
        ):
            return [], 0
        result = cv2.matchTemplate(screen_c, tmpl_c, cv2.TM_CCOEFF_NORMED)
        np.nan_to_num(result, copy=False)
        radius = max(2, min(tmpl_c.shape[:2]) // 3)
        peaks = _peaks(result, floor, per_scale, radius)
        return [_Spot(score, scale, x * factor, y * factor) for score, x, y in peaks], factor

    # the scales are independent and OpenCV lets go of the GIL: one per core at a time
    # (OpenCV's own threads only gain 13 % on these small matches)
    done = list(_POOL.map(match, jobs))
    spots = [spot for found, _ in done for spot in found]
    return spots, float(max([1] + [factor for _, factor in done]))


def _match_near(
    screen_g: np.ndarray, tmpl_g: np.ndarray, scale: float, x: int, y: int, margin: int
) -> _Spot | None:
    tmpl = _resize(tmpl_g, scale)
    height, width = tmpl.shape[:2]
    x0, y0 = max(0, x - margin), max(0, y - margin)
    x1, y1 = min(screen_g.shape[1], x + width + margin), min(screen_g.shape[0], y + height + margin)
    window = screen_g[y0:y1, x0:x1]
    if window.shape[0] < height or window.shape[1] < width:
        return None
    result = cv2.matchTemplate(window, tmpl, cv2.TM_CCOEFF_NORMED)
    np.nan_to_num(result, copy=False)
    _, score, _, (bx, by) = cv2.minMaxLoc(result)
    return _Spot(float(score), scale, x0 + bx, y0 + by)


# Relative scale steps of the refinement, coarse to fine: a sweep step is 6 %, and on a
# 2,000 px wide template a 0.4 % scale error already moves the centre by 4 px.
_REFINE_STEPS = (0.03, 0.01, 0.003, 0.001)
_KNOWN_STEPS = (0.01, 0.003, 0.001)
_MAX_MOVES = 4  # per step size: enough to cross half a sweep step at the coarsest


def _refine(
    screen_g: np.ndarray, tmpl_g: np.ndarray, spot: _Spot, factor: float, known: bool
) -> _Spot | None:
    """Hill-climb the scale from a full-resolution spot."""
    margin = int(2 * factor) + 4
    best: _Spot = spot
    for step in _KNOWN_STEPS if known else _REFINE_STEPS:
        # hill-climb on the scale: keep moving while the score improves
        for _ in range(_MAX_MOVES):
            moved = False
            for scale in (best.scale * (1 - step), best.scale * (1 + step)):
                shift = int(max(tmpl_g.shape[:2]) * abs(scale - best.scale) / 2) + margin
                candidate = _match_near(screen_g, tmpl_g, scale, best.x, best.y, shift)
                if candidate is not None and candidate.score > best.score:
                    best, moved = candidate, True
            if not moved:
                break
        margin = max(4, margin // 2)
    return best


def _distinct(spots: list[_Spot], size: tuple[int, int], limit: int, radius: float) -> list[_Spot]:
    """The best spot of each distinct place (by centre: one element seen at several scales
    has one centre but many top-left corners), so that similar rows at other scales do not
    crowd out the right one."""
    height, width = size

    def centre(spot: _Spot) -> tuple[float, float]:
        return spot.x + width * spot.scale / 2, spot.y + height * spot.scale / 2

    chosen: list[_Spot] = []
    for spot in sorted(spots, key=lambda s: s.score, reverse=True):
        cx, cy = centre(spot)
        if all(abs(cx - centre(c)[0]) > radius or abs(cy - centre(c)[1]) > radius for c in chosen):
            chosen.append(spot)
            if len(chosen) == limit:
                break
    return chosen


def _matches(
    screen: np.ndarray,
    template: Template | np.ndarray,
    threshold: float,
    screen_density: int | None,
    scale: float | None,
    colour: bool,
    limit: int,
) -> list[Match]:
    tmpl = _as_template(template)
    if screen.ndim not in (2, 3) or tmpl.image.ndim not in (2, 3):
        raise VisionError("screen and template must be images (2-D or BGR arrays)")
    tmpl_g, screen_g = _grey(tmpl.image), _grey(screen)
    if float(tmpl_g.std()) < 1.0:
        raise VisionError(
            f"template {tmpl.name!r} is one flat colour: it would match anywhere",
            hint="crop an element with some edges or text in it",
        )
    scales, known = scales_for(tmpl, screen_density, scale)
    alike = not (tmpl.density and screen_density and tmpl.density != screen_density)
    per_scale = max(3, limit) if limit > 1 else 3
    spots, factor = _coarse_spots(screen_g, tmpl_g, scales, threshold - 0.25, per_scale)
    radius = max(4.0, min(tmpl_g.shape[:2]) * min(scales) / 2)
    margin = int(2 * factor) + 4
    candidates = _distinct(spots, tmpl_g.shape[:2], max(8 if known else 12, 3 * limit), radius)
    # one full-resolution look at each place, then the costly scale refinement for the best
    looks = _POOL.map(
        lambda spot: _match_near(screen_g, tmpl_g, spot.scale, spot.x, spot.y, margin), candidates
    )
    quick = sorted((q for q in looks if q), key=lambda q: q.score, reverse=True)
    best = quick[: limit + 4]
    found: list[Match] = []
    # refined a core's worth at a time and confirmed best first: for one match, the rest
    # are refined only when the best few are look-alikes
    batch = max(_WORKERS, limit)
    for start in range(0, len(best), batch):
        refined = _POOL.map(
            lambda spot: _refine(screen_g, tmpl_g, spot, factor, known), best[start : start + batch]
        )
        for spot in sorted(
            (s for s in refined if s and s.score >= threshold), key=lambda s: -s.score
        ):
            height, width = _resize(tmpl_g, spot.scale).shape[:2]
            bounds = (spot.x, spot.y, spot.x + width, spot.y + height)
            if any(_overlap(bounds, m.bounds) > 0.3 for m in found):
                continue
            patch = screen[bounds[1] : bounds[3], bounds[0] : bounds[2]]
            if holds_up(patch, tmpl.image, colour=colour, rendered_alike=alike):
                found.append(Match(bounds, round(spot.score, 4), round(spot.scale, 4)))
                if len(found) == limit:
                    return found
    found.sort(key=lambda m: m.score, reverse=True)
    return found[:limit]


def locate(
    screen: np.ndarray,
    template: Template | np.ndarray,
    threshold: float = 0.8,
    *,
    screen_density: int | None = None,
    scale: float | None = None,
    colour: bool = True,
) -> Match | None:
    """The best match at or above `threshold`, or None."""
    found = _matches(screen, template, threshold, screen_density, scale, colour, limit=1)
    return found[0] if found else None


def locate_all(
    screen: np.ndarray,
    template: Template | np.ndarray,
    threshold: float = 0.8,
    *,
    screen_density: int | None = None,
    scale: float | None = None,
    colour: bool = True,
    max_count: int = 20,
) -> list[Match]:
    """Every non-overlapping match at or above `threshold`, best first."""
    return _matches(screen, template, threshold, screen_density, scale, colour, max_count)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / smaller
