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


def show(dut: Dut, image: np.ndarray, timeout: float = 10.0) -> None:
    """Put `image` (BGR) in front of `dut`'s camera until the next call."""
    _has_camera(dut)
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / "scene.png"
        cv2.imwrite(str(local), image)
        dut.adb.push(local, SCENE, timeout=timeout)
    _broadcast(dut, SCENE, timeout)


def clear(dut: Dut, timeout: float = 10.0) -> None:
    _has_camera(dut)
    _broadcast(dut, "", timeout)


def _has_camera(dut: Dut) -> None:
    if not dut.info.has("camera"):
        raise CameraUnsupported(
            f"{dut.id}: has no camera (its inventory entry lists no `camera` capability)",
            hint='mark the test @pytest.mark.requires("camera") so it runs where there is one',
        )


def _broadcast(dut: Dut, path: str, timeout: float) -> None:
    done = dut.shell(["am", "broadcast", "-a", ACTION, "--es", "path", path], timeout=timeout)
    if "result=-1" not in done.stdout:
        raise CameraUnsupported(
            f"{dut.id}: its camera cannot be shown a picture over adb ({done.stdout.strip()})",
            hint="a real device needs a screen in front of its camera on the bench",
        )
