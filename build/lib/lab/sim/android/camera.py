"""The device's camera, as the Android emulator's virtual scene: what it sees is a picture
the lab puts in front of it. Over adb: the picture is pushed, then a broadcast names it
(`am broadcast -a tos.intent.action.CAMERA_SCENE --es path /data/local/tmp/x.png`); an
empty path takes it away. A real rig puts a screen in front of the camera instead."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np

ACTION = "tos.intent.action.CAMERA_SCENE"
OK = -1  # Activity.RESULT_OK


class Camera:
    def __init__(self, root: Path) -> None:
        self._root = root  # the device's "/"
        self._scene: np.ndarray | None = None
        self._lock = threading.Lock()

    def receive(self, extras: dict[str, str]) -> tuple[int, str]:
        path = extras.get("path", "")
        if not path:
            with self._lock:
                self._scene = None
            return OK, "scene cleared"
        if not path.startswith("/"):
            return 0, f"error: path must be absolute on the device, got {path!r}"
        local = self._root / path.lstrip("/")
        image = cv2.imread(str(local), cv2.IMREAD_COLOR) if local.is_file() else None
        if image is None:
            return 0, f"error: {path} is not an image the camera can show"
        with self._lock:
            self._scene = image
        return OK, f"scene {image.shape[1]}x{image.shape[0]}"

    def frame(self) -> np.ndarray | None:
        with self._lock:
            return None if self._scene is None else self._scene.copy()


def read_qr(frame: np.ndarray) -> str:
    """The text of a QR code in `frame`, "" when none reads. OpenCV's Aruco-based
    detector first, then the classic one: each misses codes the other reads (measured: an
    order's code at 12 px a module read by Aruco only), as a phone's scanner tries more
    than one way."""
    for detector in (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector()):
        text = detector.detectAndDecode(frame)[0]
        if text:
            return text
    return ""
