"""Recent screenshots of the farm's devices, small, for the dashboard: taken in the
background every INTERVAL seconds (a screenshot only looks: it does not disturb a test),
each bounded by a timeout; a device that does not answer keeps its last thumbnail."""

from __future__ import annotations

import contextlib
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np

from lab.device.dut import Dut
from lab.device.factory import open_dut
from lab.errors import LabError
from lab.farm.books import Books
from lab.farm.remote import with_exported
from lab.inventory import Inventory
from lab.threads import background

WIDTH = 160
INTERVAL = 5.0


class Thumbnails:
    def __init__(self, inventory: Inventory, store: Books, interval: float = INTERVAL):
        self.store = store
        self.interval = interval
        self.inventory = inventory
        self.logs = Path(tempfile.mkdtemp(prefix="lab-dashboard-"))
        self.duts: dict[str, Dut] = {}
        self.images: dict[str, bytes] = {}
        self.taken: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = background(self._loop, name="thumbnails")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        with ThreadPoolExecutor(max_workers=8) as pool:
            while not self._stop.is_set():
                with contextlib.suppress(LabError):  # the store is away: the same devices
                    farm = with_exported(self.inventory, self.store)
                    for device in farm.devices:
                        if device.id not in self.duts:  # a host exported it since
                            # a handle to look through, unleased: a thumbnail never acts
                            self.duts[device.id] = open_dut(
                                farm, device.id, log_dir=self.logs, timeout=5.0
                            )
                list(pool.map(self._take, list(self.duts.values())))
                self._stop.wait(self.interval)

    def _take(self, dut: Dut) -> None:
        try:
            if self.store.health(dut.id).state.held_by_a_person:
                return  # out of the farm: left alone
            png = dut.screenshot_png(timeout=5.0)
        except LabError:
            return
        image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            return
        height = max(1, round(image.shape[0] * WIDTH / image.shape[1]))
        ok, small = cv2.imencode(".png", cv2.resize(image, (WIDTH, height), cv2.INTER_AREA))
        if ok:
            self.images[dut.id] = small.tobytes()
            self.taken[dut.id] = time.time()
