"""What a test leaves behind: on failure a screenshot, the UI hierarchy, logcat and the
console log of the test's span; on success only what the test attached itself."""

from __future__ import annotations

from dataclasses import dataclass, field

import allure
import cv2
import numpy as np

from lab.device.dut import Dut
from lab.device.errors import DeviceError
from lab.device.logcat import LogcatCapture
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

    def file(self, path: str, name: str | None = None) -> None:
        allure.attach.file(path, name=name or path)


@dataclass
class Span:
    """Logcat and console output from a test's start to its end."""

    dut: Dut
    logcat: LogcatCapture | None = None
    console_from: int | None = None
    notes: list[str] = field(default_factory=list)

    def start(self) -> None:
        self.logcat = LogcatCapture(self.dut.adb)
        self.logcat.start()
        if self.dut.has_console:
            try:
                self.console_from = self.dut.console.position
            except LabError as exc:
                self.notes.append(f"console not captured: {exc.message}")

    def stop(self) -> None:
        if self.logcat:
            self.logcat.stop()

    def attach_failure(self, lost: bool) -> None:
        """Called while the test's own Allure result is still open (from makereport), so
        the artifacts land in that result rather than under a fixture's teardown."""
        logcat = self.logcat.text() if self.logcat else ""
        attach = Attach()
        name = self.dut.id
        if not lost:  # a lost device cannot answer: do not spend the timeouts on it
            try:
                attach.png(f"{name} screenshot", self.dut.screenshot_png(timeout=10))
            except DeviceError as exc:
                attach.text(f"{name} screenshot unavailable", str(exc))
            try:
                attach.xml(f"{name} ui hierarchy", self.dut.hierarchy())
            except DeviceError as exc:
                attach.text(f"{name} ui hierarchy unavailable", str(exc))
        attach.text(f"{name} logcat", logcat or "(no logcat lines during the test)")
        if self.console_from is not None:
            console = self.dut.console.since(self.console_from).decode(errors="replace")
            attach.text(f"{name} console", console.replace("\r", "") or "(no console output)")
        for note in self.notes:
            attach.text(f"{name} note", note)
