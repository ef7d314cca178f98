"""A device on another host can vanish with its network: its adb connection then hangs
instead of closing, and an operation would wait out its whole timeout. While a test runs,
a thread asks the adb server of each of the test's remote devices for its state every
PERIOD seconds; after MISSES answers in a row that do not say "device" (or none within
PROBE_TIMEOUT), it interrupts the test as pytest-timeout does: a signal to the main thread,
where a blocking call returns EINTR and the handler raises DeviceLost. A lost network is
so noticed within MISSES * (PERIOD + PROBE_TIMEOUT) = 7.5 s. Local devices are not
watched: their adb server sees a dead transport close at once."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from lab.device.adb_server import AdbServer
from lab.device.dut import Dut
from lab.device.errors import DeviceLost
from lab.device.host_protocol import HostProtocolError, host_query
from lab.threads import background

PERIOD, PROBE_TIMEOUT, MISSES = 1.0, 1.5, 3
SIGNAL = signal.SIGUSR2


class Watchdog:
    def __init__(self) -> None:
        self._watched: dict[str, Dut] = {}
        self._misses: dict[str, int] = {}
        self._lost: tuple[str, str] | None = None
        self._armed = False
        self._lock = threading.Lock()
        self._main = threading.main_thread().ident
        self._thread: threading.Thread | None = None

    def watch(self, dut: Dut) -> None:
        if AdbServer(dut.adb.server).is_local or threading.current_thread() is not (
            threading.main_thread()
        ):
            return
        with self._lock:
            self._watched[dut.id] = dut
            self._misses[dut.id] = 0
        if self._thread is None:
            signal.signal(SIGNAL, self._interrupt)
            self._thread = background(self._loop, name="watchdog")
            self._thread.start()

    def unwatch(self, dut: Dut) -> None:
        with self._lock:
            self._watched.pop(dut.id, None)

    @contextmanager
    def armed(self) -> Iterator[None]:
        """Interrupts only while the test's own code runs, never its setup or teardown."""
        self._armed, self._lost = True, None
        try:
            yield
        finally:
            self._armed = False

    def _loop(self) -> None:
        stop = threading.Event()
        while not stop.wait(PERIOD):
            with self._lock:
                watched = list(self._watched.values())
            for dut in watched:
                why = self._probe(dut)
                misses = self._misses[dut.id] = 0 if why is None else self._misses[dut.id] + 1
                if misses >= MISSES and self._armed and self._lost is None:
                    self._lost = (dut.id, f"{why} ({misses} probes in a row, {PERIOD:g} s apart)")
                    signal.pthread_kill(self._main, SIGNAL)

    @staticmethod
    def _probe(dut: Dut) -> str | None:
        """None when the device's adb server lists it as "device" within PROBE_TIMEOUT (one
        bounded socket: connect, ask, read), else what it found."""
        try:
            listing = host_query(dut.adb.host, dut.adb.port, "host:devices", PROBE_TIMEOUT)
        except (OSError, HostProtocolError) as exc:
            return f"its adb server {dut.adb.server} does not answer ({exc or 'timeout'})"
        states = dict(line.split("\t", 1) for line in listing.splitlines() if "\t" in line)
        state = states.get(dut.adb.serial, "absent").strip()
        return None if state == "device" else f"its adb server says {state}"

    def _interrupt(self, signum: int, frame: object) -> None:
        if self._lost and self._armed:
            device_id, why = self._lost
            raise DeviceLost(device_id, "watchdog", why)
