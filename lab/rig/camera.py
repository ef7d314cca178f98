"""What a device's camera sees. A virtual device shows the camera a picture the lab
pushes over adb (as the Android emulator's virtual scene); on a real bench a screen in
front of the camera shows it, which this lab does not drive: it says so."""

from __future__ import annotations

import tempfile
from pathlib import Path

import cv2
import numpy as np

from lab.device.dut import Dut
from lab.errors import LabError

ACTION = "tos.intent.action.CAMERA_SCENE"
SCENE = "/data/local/tmp/tos-camera-scene.png"


class CameraUnsupported(LabError):
    """This device's camera cannot be shown a picture from here."""


class Scene:
    """What `dut`'s camera sees: `show(image)` until the next call, `clear()`."""

    def __init__(self, dut: Dut) -> None:
        if not dut.info.has("camera"):
            raise CameraUnsupported(
                f"{dut.id}: has no camera (its inventory entry lists no `camera` capability)",
                hint='mark the test @pytest.mark.requires("camera") so it runs where there is one',
            )
        if not dut.info.virtual:
            raise CameraUnsupported(
                f"{dut.id}: its camera sees the bench, which this lab does not drive",
                hint="a real device needs a screen in front of its camera on the bench",
            )
        self.dut = dut

    def show(self, image: np.ndarray, timeout: float = 10.0) -> None:
        """Put `image` (BGR) in front of the camera until the next call."""
        with tempfile.TemporaryDirectory() as folder:
            local = Path(folder) / "scene.png"
            cv2.imwrite(str(local), image)
            self.dut.adb.push(local, SCENE, timeout=timeout)
        self._broadcast(SCENE, timeout)

    def clear(self, timeout: float = 10.0) -> None:
        self._broadcast("", timeout)

    def close(self) -> None:
        """Nothing to let go: the picture stays until cleared."""

    def __enter__(self) -> Scene:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _broadcast(self, path: str, timeout: float) -> None:
        done = self.dut.shell(
            ["am", "broadcast", "-a", ACTION, "--es", "path", path], timeout=timeout
        )
        if "result=-1" not in done.stdout:
            raise CameraUnsupported(
                f"{self.dut.id}: its camera cannot be shown a picture over adb "
                f"({done.stdout.strip()})"
            )
