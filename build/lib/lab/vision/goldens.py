"""Golden screens on disk: <root>/<class>/<model>/<name>.png, with an optional
<name>.mask.png beside it (white = may differ, e.g. the clock). A store reads from its
root first, then from its fallbacks (a project's own goldens, then the TOS+ kit's), and
records only into its root: the project's."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np

from lab.vision.errors import GoldenMissing


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class GoldenStore:
    def __init__(self, root: Path, fallbacks: tuple[Path, ...] = ()) -> None:
        self.root = root
        self.fallbacks = fallbacks

    def path(self, device_class: str, model: str, name: str) -> Path:
        """Where the golden is recorded (in the root)."""
        return self._in(self.root, device_class, model, name)

    @staticmethod
    def _in(root: Path, device_class: str, model: str, name: str) -> Path:
        return root / device_class / _slug(model) / f"{name}.png"

    def load(
        self, device_class: str, model: str, name: str
    ) -> tuple[np.ndarray, np.ndarray | None]:
        tried = []
        for root in (self.root, *self.fallbacks):
            path = self._in(root, device_class, model, name)
            image = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if image is not None:
                mask = cv2.imread(str(path.with_suffix(".mask.png")), cv2.IMREAD_GRAYSCALE)
                return image, mask
            tried.append(str(path))
        raise GoldenMissing(
            f"no golden {name!r} for {device_class} {model!r} (looked at {', '.join(tried)})",
            hint="record it with `lab run ... --pytest-arg=--update-goldens` (it goes to "
            f"{self.path(device_class, model, name)}), review and commit the file",
        )

    def save(
        self, device_class: str, model: str, name: str, image: np.ndarray, mask: np.ndarray | None
    ) -> Path:
        path = self.path(device_class, model, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), image)
        if mask is not None and mask.any():
            cv2.imwrite(str(path.with_suffix(".mask.png")), mask)
        return path
