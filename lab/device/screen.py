"""Screen checks on a device: goldens, images, QR codes and text on its live screen
(`dut.screen`). lab.vision does the pure image work; this layer takes the screenshots,
waits, and attaches what a failure needs."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

import numpy as np

from lab.device.errors import DeviceError, NotOnScreen
from lab.device.hierarchy import bounds_of, views
from lab.inventory import Device as InventoryDevice
from lab.vision.compare import compare
from lab.vision.errors import VisionError, VisionMismatch
from lab.vision.goldens import GoldenStore
from lab.vision.locate import Match, locate
from lab.vision.ocr import TextLine, read_text
from lab.vision.qr import QR, read_qr
from lab.vision.template import Template

DYNAMIC_VIEWS = (":id/clock", ":id/battery")  # always masked: they change by themselves
Attacher = Callable[[str, np.ndarray], None]


@dataclass(frozen=True)
class Goldens:
    """Where a device's screen checks keep their goldens and what they do with a
    difference: `store` (read, recorded into), `update` (record instead of comparing),
    `changes_log` (one JSON line per recorded golden), `attach` (a failure's images)."""

    store: GoldenStore
    update: bool = False
    changes_log: Path | None = None
    attach: Attacher | None = None


class Screen(Protocol):
    """What the checks read of a device (a Dut is one): who it is, and its screen."""

    id: str
    info: InventoryDevice

    def screenshot(self, timeout: float = 20.0) -> np.ndarray: ...
    def hierarchy(self) -> str: ...


class ScreenChecks:
    def __init__(
        self,
        dut: Screen,
        store: GoldenStore,
        *,
        update: bool = False,
        changes_log: Path | None = None,
        attach: Attacher | None = None,
    ) -> None:
        self.dut = dut
        self.store = store
        self.update = update
        self.changes_log = changes_log
        self._attach = attach or (lambda name, image: None)

    # -- goldens
    def dynamic_mask(self) -> np.ndarray:
        """White over views that change by themselves (clock, battery), from the hierarchy."""
        info = self.dut.info.display
        mask = np.zeros((info.height, info.width), np.uint8)
        try:
            dump = list(views(self.dut.hierarchy()))
        except (DeviceError, ET.ParseError):
            return mask
        eyes = [0, info.width // 2] if info.shape == "stereo" else [0]
        for view in dump:
            if view.get("resource-id", "").endswith(DYNAMIC_VIEWS):
                left, top, right, bottom = bounds_of(view)
                for offset in eyes:
                    mask[
                        max(0, top - 4) : bottom + 4, max(0, left + offset - 4) : right + offset + 4
                    ] = 255
        return mask

    def assert_matches(self, name: str, threshold: float = 0.98) -> None:
        """The screen equals golden `name` for this device's class and model (masked
        regions aside); on a mismatch expected, actual and diff images are attached."""
        info = self.dut.info
        actual = self.dut.screenshot()
        dynamic = self.dynamic_mask()
        if self.update:
            self._record(name, actual, dynamic, threshold)
            return
        golden, saved_mask = self.store.load(info.device_class, info.model, name)
        mask = dynamic if saved_mask is None else np.maximum(dynamic, saved_mask)
        result = compare(actual, golden, mask=mask, threshold=threshold)
        if not result.passed:
            self._attach(f"{name}: expected", golden)
            self._attach(f"{name}: actual", actual)
            if result.diff is not None:
                self._attach(f"{name}: diff", result.diff)
            raise VisionMismatch(f"{name} on {self.dut.id}: {result.describe()}")

    def _record(self, name: str, actual: np.ndarray, mask: np.ndarray, threshold: float) -> None:
        info = self.dut.info
        status = "new"
        try:
            golden, _ = self.store.load(info.device_class, info.model, name)
            same = (
                golden.shape == actual.shape
                and compare(actual, golden, mask=mask, threshold=threshold).passed
            )
            status = "unchanged" if same else "changed"
        except VisionError:
            pass
        path = self.store.path(info.device_class, info.model, name)
        if status != "unchanged":
            path = self.store.save(info.device_class, info.model, name, actual, mask)
        if self.changes_log is not None:
            self.changes_log.parent.mkdir(parents=True, exist_ok=True)
            with open(self.changes_log, "a") as log:
                log.write(
                    json.dumps({"golden": str(path), "status": status, "device": self.dut.id})
                    + "\n"
                )

    # -- finding things
    def find(self, template: Template | str | Path, threshold: float = 0.8) -> Match | None:
        return locate(
            self.dut.screenshot(),
            _template(template),
            threshold,
            screen_density=self.dut.info.display.density,
        )

    def qr_codes(self) -> list[QR]:
        """The QR codes on the screen now (one per eye on a stereo display)."""
        return read_qr(self.dut.screenshot())

    def text(self, region: tuple[int, int, int, int] | None = None) -> list[TextLine]:
        """The lines of text on the screen now, top to bottom (`region`: just that box)."""
        return read_text(self.dut.screenshot(), region)

    def wait_image(
        self, template: Template | str | Path, timeout: float = 10.0, threshold: float = 0.8
    ) -> Match:
        """The match once `template` shows, or NotOnScreen after `timeout` seconds."""
        wanted = _template(template)
        found = self._wait(
            lambda: self.find(wanted, threshold), f"image {wanted.name!r}", timeout, shown=True
        )
        return cast(Match, found)

    def wait_gone(
        self, template: Template | str | Path, timeout: float = 10.0, threshold: float = 0.8
    ) -> None:
        """Return once `template` is off the screen, or NotOnScreen after `timeout`."""
        wanted = _template(template)
        self._wait(
            lambda: self.find(wanted, threshold), f"image {wanted.name!r}", timeout, shown=False
        )

    def wait_text(
        self,
        text: str,
        timeout: float = 10.0,
        region: tuple[int, int, int, int] | None = None,
    ) -> TextLine:
        """The first line containing `text` once it shows; on a timeout the error lists
        what the screen said instead."""
        seen: list[str] = []

        def probe() -> TextLine | None:
            lines = self.text(region)
            seen[:] = [line.text for line in lines]
            return next((line for line in lines if text in line.text), None)

        try:
            return cast(TextLine, self._wait(probe, f"text {text!r}", timeout, shown=True))
        except NotOnScreen as exc:
            shown = ", ".join(repr(t) for t in seen[:12]) or "no text"
            raise NotOnScreen(
                self.dut.id, exc.operation, f"{exc.detail}; it shows {shown}"
            ) from None

    def _wait(
        self, probe: Callable[[], object], what: str, timeout: float, *, shown: bool
    ) -> object:
        """Poll `probe` until it finds something (`shown`) or nothing (not `shown`). A
        device that stops answering raises its own error (DeviceTimeout, DeviceLost) from
        the probe; one that answers every time but never shows it is NotOnScreen."""
        deadline = time.monotonic() + timeout
        while True:
            found = probe()
            if (found is not None) == shown:
                return found
            if time.monotonic() > deadline:
                raise NotOnScreen(
                    self.dut.id,
                    f"wait for {what}" + ("" if shown else " to go"),
                    f"not on screen within {timeout:g} s"
                    if shown
                    else f"still on screen after {timeout:g} s",
                )
            time.sleep(0.2)


def _template(template: Template | str | Path) -> Template:
    return template if isinstance(template, Template) else Template.load(template)
