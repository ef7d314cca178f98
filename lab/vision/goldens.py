"""Golden screens on disk: fixtures/goldens/<class>/<model>/<name>.png, with an optional
<name>.mask.png beside it (white = may differ, e.g. the clock)."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np

from lab.vision.errors import GoldenMissing


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class GoldenStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, device_class: str, model: str, name: str) -> Path:
        return self.root / device_class / _slug(model) / f"{name}.png"

    def load(
        self, device_class: str, model: str, name: str
    ) -> tuple[np.ndarray, np.ndarray | None]:
        path = self.path(device_class, model, name)
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if image is None:
            raise GoldenMissing(
                f"no golden {name!r} for {device_class} {model!r} at {path}",
                hint="record it with `lab run ... --pytest-arg=--update-goldens`, "
                "review and commit the file",
            )
        mask = cv2.imread(str(path.with_suffix(".mask.png")), cv2.IMREAD_GRAYSCALE)
        return image, mask

    def save(
        self, device_class: str, model: str, name: str, image: np.ndarray, mask: np.ndarray | None
    ) -> Path:
        path = self.path(device_class, model, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), image)
        if mask is not None and mask.any():
            cv2.imwrite(str(path.with_suffix(".mask.png")), mask)
        return path
