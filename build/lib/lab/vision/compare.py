"""Compare a screen with its golden: SSIM (an OpenCV implementation: scikit-image's is ~4x
slower on 1080p and gives the same value) plus a per-region pixel check, because one
changed glyph barely moves a whole-screen SSIM. Masked regions (clock, battery) are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from lab.vision.errors import VisionError

Region = tuple[int, int, int, int]  # left, top, right, bottom


@dataclass
class Comparison:
    score: float  # SSIM over the unmasked pixels, 1.0 = identical
    passed: bool
    regions: list[Region] = field(default_factory=list)  # where pixels changed
    diff: np.ndarray | None = None  # the actual screen with changes boxed in red

    def describe(self) -> str:
        where = ", ".join(f"({x0},{y0})-({x1},{y1})" for x0, y0, x1, y1 in self.regions[:6])
        more = f" and {len(self.regions) - 6} more" if len(self.regions) > 6 else ""
        return f"SSIM {self.score:.4f}; {len(self.regions)} changed region(s)" + (
            f": {where}{more}" if self.regions else ""
        )


def _grey(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image


def ssim_map(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per-pixel SSIM (Gaussian window 11, sigma 1.5), as Wang et al. define it."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    x, y = a.astype(np.float32), b.astype(np.float32)

    def blur(img: np.ndarray) -> np.ndarray:
        return cv2.GaussianBlur(img, (11, 11), 1.5)

    mu_x, mu_y = blur(x), blur(y)
    xx, yy, xy = mu_x * mu_x, mu_y * mu_y, mu_x * mu_y
    sigma_x, sigma_y, sigma_xy = blur(x * x) - xx, blur(y * y) - yy, blur(x * y) - xy
    return ((2 * xy + c1) * (2 * sigma_xy + c2)) / ((xx + yy + c1) * (sigma_x + sigma_y + c2))


def compare(
    actual: np.ndarray,
    golden: np.ndarray,
    mask: np.ndarray | None = None,
    threshold: float = 0.98,
    pixel_tolerance: int = 40,
    min_region: int = 6,
) -> Comparison:
    """`mask`: white (non-zero) where the screen may differ (dynamic regions).

    Passes when SSIM >= threshold and no region of at least `min_region` pixels differs by
    more than `pixel_tolerance` (0-255) in any channel."""
    if actual.shape != golden.shape:
        raise VisionError(
            f"size mismatch: the screen is {_shape(actual)}, the golden {_shape(golden)}",
            hint="goldens are per device class and model; record one for this device with "
            "--update-goldens",
        )
    if mask is not None and mask.shape[:2] != actual.shape[:2]:
        raise VisionError(f"mask is {_shape(mask)}, the screen {_shape(actual)}")
    keep = np.ones(actual.shape[:2], bool) if mask is None else _grey(mask) == 0
    similarity = ssim_map(_grey(actual), _grey(golden))
    # cv2.mean with a mask: a third of the time of numpy's boolean indexing on 1080p
    score = cv2.mean(similarity, mask=keep.view(np.uint8))[0] if keep.any() else 1.0

    delta = channel_max(cv2.absdiff(actual, golden))
    changed = ((delta > pixel_tolerance) & keep).astype(np.uint8)
    changed = cv2.morphologyEx(changed, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(changed, connectivity=8)
    regions = [
        (int(x), int(y), int(x + w), int(y + h))
        for x, y, w, h, area in stats[1:count]
        if area >= min_region
    ]
    regions.sort(key=lambda r: (r[1], r[0]))
    return Comparison(
        score,
        score >= threshold and not regions,
        regions,
        diff_image(actual, delta, regions, keep),
    )


def channel_max(image: np.ndarray) -> np.ndarray:
    """The largest channel per pixel (cv2.max over the planes: 10x numpy's max(axis=2))."""
    if image.ndim == 2:
        return image
    planes = cv2.split(image)
    out = planes[0]
    for plane in planes[1:]:
        out = cv2.max(out, plane)
    return out


def diff_image(
    actual: np.ndarray, delta: np.ndarray, regions: list[Region], keep: np.ndarray
) -> np.ndarray:
    """The actual screen, dimmed where it equals the golden (`delta` 0), changes in a red
    box, masked parts tinted blue: where a reviewer should look."""
    out = actual.copy() if actual.ndim == 3 else cv2.cvtColor(actual, cv2.COLOR_GRAY2BGR)
    np.copyto(out, cv2.convertScaleAbs(out, alpha=0.45), where=(delta == 0)[..., None])
    if not keep.all():
        tinted = cv2.addWeighted(out, 0.5, np.full_like(out, (160, 60, 0)), 0.5, 0)
        np.copyto(out, tinted, where=~keep[..., None])
    for left, top, right, bottom in regions:
        cv2.rectangle(out, (left - 3, top - 3), (right + 2, bottom + 2), (0, 0, 255), 2)
    return out


def _shape(image: np.ndarray) -> str:
    return f"{image.shape[1]}x{image.shape[0]}"
