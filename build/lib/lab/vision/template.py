"""An image to find on screen, with the density (dpi) of the screen it was captured on.

The density travels inside the PNG (a `lab.density` text chunk), so a template captured
on a 320 dpi TV is found at the right scale on a 560 dpi headset without a sidecar file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, PngImagePlugin

from lab.vision.errors import VisionError

DENSITY_KEY = "lab.density"


@dataclass(frozen=True)
class Template:
    image: np.ndarray  # BGR
    density: int | None = None
    name: str = "template"

    @classmethod
    def load(cls, path: str | Path) -> Template:
        file = Path(path)
        if not file.is_file():
            raise VisionError(
                f"template {file} does not exist",
                hint="capture one with Template.crop(...).save(path)",
            )
        with Image.open(file) as pil:
            density_text = pil.info.get(DENSITY_KEY)
            rgb = np.asarray(pil.convert("RGB"))
        density = int(density_text) if density_text and str(density_text).isdigit() else None
        return cls(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), density, file.stem)

    @classmethod
    def crop(
        cls,
        screen: np.ndarray,
        bounds: tuple[int, int, int, int],
        density: int | None,
        name: str = "template",
    ) -> Template:
        left, top, right, bottom = bounds
        if right <= left or bottom <= top:
            raise VisionError(f"empty crop {bounds}")
        return cls(screen[top:bottom, left:right].copy(), density, name)

    def save(self, path: str | Path) -> Path:
        file = Path(path)
        file.parent.mkdir(parents=True, exist_ok=True)
        info = PngImagePlugin.PngInfo()
        if self.density:
            info.add_text(DENSITY_KEY, str(self.density))
        Image.fromarray(cv2.cvtColor(self.image, cv2.COLOR_BGR2RGB)).save(file, pnginfo=info)
        return file

    @property
    def size(self) -> tuple[int, int]:
        return self.image.shape[1], self.image.shape[0]
