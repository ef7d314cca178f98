"""The device under test: one handle over ADB, the console, the UI and the screen of an
inventory device, built lazily so a test pays only for what it uses, with capture services
(logcat, console log) that live as long as the handle and ride out a reboot."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from lab.device.adb import Adb, Command, Fence, ShellResult
from lab.device.capture.base import CaptureService
from lab.device.capture.console_log import ConsoleLog
from lab.device.capture.logcat import LogcatService
from lab.device.console import Console
from lab.device.errors import BadCapture, DeviceError
from lab.device.screen import Goldens, ScreenChecks
from lab.device.steps import step
from lab.device.ui import Ui
from lab.inventory import Device, Farm
from lab.inventory.schema import Peripheral
from lab.runtime import resolve_port

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Dut:
    """Made by lab.device.factory.open_dut (a handle) or lab.farm.checkout (a leased,
    checked device): never by hand, so no one gets a device without its goldens or fence."""

    def __init__(
        self,
        device: Device,
        farm: Farm,
        log_dir: Path,
        goldens: Goldens,
        *,
        timeout: float = 30.0,
        fence: Fence | None = None,
        parts: tuple[Peripheral, ...] = (),
    ) -> None:
        self.info = device
        self.parts = parts  # the bench parts beside it (its NFC reader): lab.rig opens them
        self.id = device.id
        self.device_class = device.device_class
        self.log_dir = log_dir
        self.adb = Adb(device.id, device.adb.serial, device.adb_server(farm), timeout=timeout)
        if fence is not None:  # a lease's check before every operation, raw clients included
            self.adb.before_operation = fence
        self._console: Console | None = None
        self._ui: Ui | None = None
        self.captures: dict[str, CaptureService] = {}
        self._kept: CaptureService | None = None  # a capture this handle does not own
        self.screen = ScreenChecks(
            self,
            goldens.store,
            update=goldens.update,
            changes_log=goldens.changes_log,
            attach=goldens.attach,
        )

    def __repr__(self) -> str:
        return f"<Dut {self.id} ({self.device_class}, {self.info.model})>"

    # -- parts
    @property
    def ui(self) -> Ui:
        if self._ui is None:
            self._ui = Ui(
                self.id,
                self.adb.client,
                self.adb.serial,
                (self.adb.host, self.adb.port),
                self.adb.timeout,
                touch=self.info.has("touch"),
                find_image=lambda template, timeout: self.screen.wait_image(template, timeout),
                before_operation=lambda operation: self.adb.before_operation(operation),
            )
        return self._ui

    @property
    def console(self) -> Console:
        if self._console is None:
            self._console = self.open_console()
        return self._console

    @property
    def has_console(self) -> bool:
        return self.info.console is not None

    def open_console(self) -> Console:
        if self.info.console is None:
            raise DeviceError(self.id, "open console", "the inventory gives it no console")
        url = resolve_port(self.info.console.url, self.id, "console")
        if url is None:  # a virtual device's pty, announced by `lab sim up`
            raise DeviceError(
                self.id,
                "open console",
                "the virtual device is not running",
                hint="start it with `lab sim up`",
            )
        return Console(
            self.id,
            url,
            self.info.console.baud,
            self.log_dir / f"{self.id}.console.log",
            prompt=self.info.console.prompt,
            before_send=lambda operation: self.adb.before_operation(operation),
        )

    # -- capture services
    def start_captures(self, logcat: LogcatService | None = None) -> None:
        """Logcat, and the console log when the device has a console. `logcat`: a stream
        that outlives this handle (a process's one per device, lab.farm.checkout): it is
        not stopped with it."""
        if logcat is not None:
            self.captures.setdefault("logcat", logcat)
            self._kept = logcat
        self.captures.setdefault("logcat", LogcatService(self.adb))
        if self.has_console:
            self.captures.setdefault("console", ConsoleLog(lambda: self.console))
        for service in self.captures.values():
            service.start()

    def stop_captures(self) -> None:
        for service in self.captures.values():
            if service is not self._kept:
                service.stop()

    # -- convenience over adb
    @step("shell {command}")
    def shell(
        self, command: Command, timeout: float | None = None, check: bool = False
    ) -> ShellResult:
        """A command line, or an argv list (quoted for the device's shell)."""
        return self.adb.shell(command, timeout=timeout, check=check)

    def getprop(self, name: str) -> str:
        return self.adb.getprop(name)

    @step("reboot")
    def reboot(self, timeout: float = 120.0) -> None:
        """Reboot and wait until it has booted; captures pause and resume around it (no
        logcat line is lost), the UI agent is started again on its next use."""
        for service in self.captures.values():
            service.pause()
        self._ui = None
        try:
            self.adb.reboot(timeout)
        finally:
            for service in self.captures.values():
                service.resume()

    # -- the screen
    @step("screenshot")
    def screenshot_png(self, timeout: float = 20.0) -> bytes:
        """`screencap -p`, checked: a capture that is not a PNG of the display's size is an
        error, never a black image standing in for it (adbutils' silent fallback)."""
        data = self.adb.exec_out(["screencap", "-p"], timeout=timeout)
        if not data.startswith(PNG_SIGNATURE):
            raise BadCapture(self.id, "screenshot", f"not a PNG ({len(data)} bytes: {data[:60]!r})")
        return data

    def screenshot(self, timeout: float = 20.0) -> np.ndarray:
        """The screen as a BGR image (OpenCV's order), the size of the display (turned
        with the device when it is rotated)."""
        data = self.screenshot_png(timeout)
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            raise BadCapture(self.id, "screenshot", "the PNG does not decode")
        width, height = self.info.display.width, self.info.display.height
        if image.shape[:2] not in ((height, width), (width, height)):
            raise BadCapture(
                self.id,
                "screenshot",
                f"{image.shape[1]}x{image.shape[0]} instead of the display's {width}x{height}",
            )
        return image

    def hierarchy(self) -> str:
        """The UI hierarchy XML (from the agent; through `uiautomator dump` if it is down)."""
        try:
            return self.ui.dump()
        except DeviceError:
            path = "/data/local/tmp/lab-dump.xml"
            self.adb.shell(["uiautomator", "dump", path], timeout=20, check=True)
            return self.adb.read_file(path, limit=16 << 20).decode(errors="replace")

    def close(self) -> None:
        self.stop_captures()
        if self._console is not None:
            self._console.close()
            self._console = None
