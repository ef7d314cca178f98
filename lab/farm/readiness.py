"""Whether a device may take work, as one process sees it: its health in the farm's books
(a person's maintenance or retirement, a bad device waiting for a passing check), and a
health check before its first use by this process and again at an interval."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from lab.device.capture.logcat import LogcatService
from lab.device.dut import Dut
from lab.device.errors import DeviceUnavailable
from lab.device.health_check import HealthReport, check_health
from lab.farm.health import Health, HealthBook

RECHECK_AFTER = 10.0  # seconds before a device that failed its check is checked again
CHECK_INTERVAL = 600.0  # seconds a passed check holds before the device is checked again


@dataclass
class Readiness:
    """One process's view: the last check of each device it used, and the devices it lost
    mid-work (waited for on their next use, within `recovery_timeout`)."""

    books: HealthBook
    holder: str
    device_timeout: float = 30.0
    recovery_timeout: float = 60.0
    lost: dict[str, str] = field(default_factory=dict)  # device id -> why
    checks: dict[str, HealthReport] = field(default_factory=dict)  # last check per device
    # one logcat stream per device for the whole process (a pytest worker), instead of one
    # per checkout: a stream's start waits for the device's first line (~3 ms a test).
    # Reading a device's log while another holder has it changes nothing on the device.
    streams: dict[str, LogcatService] | None = None

    def held_out(self, device_id: str) -> str | None:
        """Why a person has taken the device out of the farm, or None."""
        record = self.books.health(device_id)
        if record.state.held_by_a_person:
            return f"in {record.state.value} since {time.ctime(record.at)}: {record.why or '-'}"
        return None

    def ready(self, dut: Dut) -> None:
        """The device passed a health check; else DeviceUnavailable with the check's output.
        A device lost mid-run, or found booting, is waited for (a device that rebooted runs
        its remaining tests); one that failed is checked again before a later use, at most
        every RECHECK_AFTER seconds. Each check is written to the books: a failed one makes
        the device bad, a passed one good."""
        why = self.held_out(dut.id)
        if why:
            raise DeviceUnavailable(
                dut.id, why, f"{dut.id} is {why}\n(`lab farm release {dut.id}`)"
            )
        checked = self.checks.get(dut.id)
        if checked is not None and dut.id not in self.lost:
            age = time.monotonic() - checked.at
            if checked.ok and age < CHECK_INTERVAL:
                return
            if not checked.ok and age < RECHECK_AFTER:
                raise DeviceUnavailable(dut.id, checked.reason, checked.text())
        patient = dut.id in self.lost
        deadline = time.monotonic() + self.recovery_timeout
        while True:
            report = check_health(dut, timeout=min(5.0, self.device_timeout))
            waiting = patient or report.booting
            if report.ok or not waiting or time.monotonic() >= deadline:
                break
            time.sleep(1.0)
        self.checks[dut.id] = report
        self.lost.pop(dut.id, None)
        state = Health.GOOD if report.ok else Health.BAD
        self.books.mark(dut.id, state, f"health check: {report.reason}", self.holder, True)
        if not report.ok:
            raise DeviceUnavailable(dut.id, report.reason, report.text())

    def usable(self, device_id: str) -> bool:
        """Worth offering work: not held out by a person, and not bad unless its last
        failure is old enough to check again."""
        record = self.books.health(device_id)
        if record.state.held_by_a_person:
            return False
        last = max(record.at, record.checked_at)  # spaced like a device's own rechecks
        return record.state is not Health.BAD or time.time() - last >= RECHECK_AFTER

    def usable_of(self, ids: list[str], refused: set[str] = frozenset()) -> list[str]:
        """The usable devices of `ids` (in order) not in `refused`; DeviceUnavailable
        saying each one's health when there is none."""
        found = [i for i in ids if i not in refused and self.usable(i)]
        if not found:
            raise DeviceUnavailable(
                ids[0] if len(ids) == 1 else "pool",
                f"none of {', '.join(ids)} is usable (bad, in maintenance or retired)",
                "\n".join(f"{i}: {self.books.health(i).state.value}" for i in ids),
            )
        return found
