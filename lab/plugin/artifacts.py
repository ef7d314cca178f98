"""What a test leaves behind: on failure a screenshot, the UI hierarchy, logcat and the
console log of the test's span; on success only what the test attached itself."""

from __future__ import annotations

from dataclasses import dataclass, field

import allure
import cv2
import numpy as np

from lab.device.dut import Dut
from lab.errors import LabError


class Attach:
    """The `attach` fixture: put images, text and files into the test's report."""

    def png(self, name: str, image: bytes | np.ndarray) -> None:
        if isinstance(image, np.ndarray):
            ok, encoded = cv2.imencode(".png", image)
            if not ok:
                raise ValueError(f"cannot encode {name} as PNG")
            image = encoded.tobytes()
        allure.attach(image, name=name, attachment_type=allure.attachment_type.PNG)

    def text(self, name: str, text: str) -> None:
        allure.attach(text, name=name, attachment_type=allure.attachment_type.TEXT)

    def xml(self, name: str, text: str) -> None:
        allure.attach(text, name=name, attachment_type=allure.attachment_type.XML)

    def wav(self, name: str, data: bytes) -> None:
        """A sound (Allure's types have no WAV: it is named by its MIME type)."""
        allure.attach(data, name=name, attachment_type="audio/wav", extension="wav")

    def file(self, path: str, name: str | None = None) -> None:
        allure.attach.file(path, name=name or path)


@dataclass
class Span:
    """A test's stretch of the device's capture services (logcat, console log): marks at its start,
    excerpts since them when it fails."""

    dut: Dut
    marks: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def start(self) -> None:
        """The captures run already (lab.farm.checkout starts them): mark where they are."""
        self.marks = {name: service.mark() for name, service in self.dut.captures.items()}

    def attach_failure(self, lost: bool) -> None:
        """Called while the test's own Allure result is still open (from makereport), so
        the artifacts land in that result rather than under a fixture's teardown."""
        attach = Attach()
        name = self.dut.id
        if not lost:  # a lost device cannot answer: do not spend the timeouts on it
            try:
                attach.png(f"{name} screenshot", self.dut.screenshot_png(timeout=10))
            except LabError as exc:  # a device error, or our lease gone (fencing)
                attach.text(f"{name} screenshot unavailable", str(exc))
            try:
                attach.xml(f"{name} ui hierarchy", self.dut.hierarchy())
            except LabError as exc:  # a device error, or our lease gone (fencing)
                attach.text(f"{name} ui hierarchy unavailable", str(exc))
        for service_name, service in self.dut.captures.items():
            text = service.excerpt(self.marks.get(service_name, 0))
            attach.text(
                f"{name} {service_name}", text or f"(no {service_name} output during the test)"
            )
        for note in self.notes:
            attach.text(f"{name} note", note)
