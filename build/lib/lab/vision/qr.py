"""Read QR codes with OpenCV's detector (the Aruco-based one is faster and reads rotated,
scaled and blurred codes; the classic one is the fallback)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class QR:
    text: str
    bounds: tuple[int, int, int, int]  # left, top, right, bottom

    @property
    def center(self) -> tuple[int, int]:
        return (self.bounds[0] + self.bounds[2]) // 2, (self.bounds[1] + self.bounds[3]) // 2


def _decode(detector, image: np.ndarray) -> list[QR]:
    try:
        ok, texts, points, _ = detector.detectAndDecodeMulti(image)
    except cv2.error:
        return []
    if not ok or points is None:
        return []
    found = []
    for text, corners in zip(texts, points, strict=False):
        if not text:
            continue
        xs, ys = corners[:, 0], corners[:, 1]
        found.append(QR(text, (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))))
    return found


def read_qr(image: np.ndarray) -> list[QR]:
    """Every QR code that decodes, left to right then top to bottom."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    found = _decode(cv2.QRCodeDetectorAruco(), grey) or _decode(cv2.QRCodeDetector(), grey)
    unique = {(q.text, q.bounds): q for q in found}
    return sorted(unique.values(), key=lambda q: (q.bounds[1] // 50, q.bounds[0]))
