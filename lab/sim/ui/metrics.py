"""Sizes per device class: how big text, rows and tiles are on each screen."""

from __future__ import annotations

from dataclasses import dataclass

from lab.sim.spec import DeviceSpec
from lab.sim.ui.view import Rect


@dataclass(frozen=True)
class Metrics:
    width: int  # the logical UI (one eye on a headset)
    height: int
    status_h: int
    margin: int
    title_size: int
    body_size: int
    small_size: int
    row_h: int
    gap: int
    tile_cols: int
    tile_h: int
    round: bool
    focus_ring: bool  # D-pad devices show which view has focus

    @property
    def content(self) -> Rect:
        """Where the title and the list go (inside the circle on a round watch)."""
        if self.round:
            inset = int(self.width * 0.13)
            return (inset, self.status_h, self.width - inset, self.height - int(self.height * 0.1))
        return (
            self.margin,
            self.status_h,
            self.width - self.margin,
            self.height - self.margin // 2,
        )


def metrics_for(
    device_class: str, width: int, height: int, focus_ring: bool, density: int = 320
) -> Metrics:
    """Rectangular screens size everything by density, as Android sizes dp (320 dpi = 1x):
    an element on a 560 dpi headset is 1.75x its size on a 320 dpi TV. The round watch is
    laid out relative to its face instead."""
    scale = density / 320
    if device_class == "watch":
        return Metrics(
            width,
            height,
            status_h=int(height * 0.14),
            margin=int(width * 0.13),
            title_size=max(18, int(height * 0.066)),
            body_size=max(16, int(height * 0.055)),
            small_size=max(12, int(height * 0.036)),
            row_h=int(height * 0.14),
            gap=max(4, int(height * 0.015)),
            tile_cols=1,
            tile_h=int(height * 0.14),
            round=True,
            focus_ring=focus_ring,
        )
    cols = {"tv": 4, "headset": 3, "phone": 3}.get(device_class, 3)
    return Metrics(
        width,
        height,
        status_h=int(72 * scale),
        margin=int(64 * scale),
        title_size=int(56 * scale),
        body_size=int(38 * scale),
        small_size=int(28 * scale),
        row_h=int(104 * scale),
        gap=int(16 * scale),
        tile_cols=cols,
        tile_h=int(220 * scale),
        round=False,
        focus_ring=focus_ring,
    )


def metrics_at(spec: DeviceSpec, rotation: int) -> Metrics:
    """The metrics of one eye of `spec`'s panel, turned by `rotation` (0-3)."""
    width, height = spec.eye_width, spec.height
    if rotation % 2:
        width, height = height, width
    return metrics_for(
        spec.device_class, width, height, focus_ring=spec.has("dpad"), density=spec.density
    )


def panel_size(spec: DeviceSpec, rotation: int) -> tuple[int, int]:
    """The whole panel as screencap shows it, turned by `rotation`."""
    return (spec.height, spec.width) if rotation % 2 else (spec.width, spec.height)
