"""A device's health check: a few seconds that say whether tests can run on it — adb sees
it, its shell answers, it has booted, a screenshot decodes, its UI agent (uiautomator2)
answers, its console answers (when it has one). Each step says what it found; a failed
step skips what depends on it."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lab.device.adb_server import AdbServer
from lab.device.errors import DeviceError, DeviceLost
from lab.errors import LabError

if TYPE_CHECKING:
    from lab.device.dut import Dut


@dataclass(frozen=True)
class Step:
    name: str
    ok: bool
    detail: str
    seconds: float
    went_away: bool = False  # the device dropped off during this step (DeviceLost)


NOT_BOOTED = "the device has not finished booting"


@dataclass
class HealthReport:
    device_id: str
    steps: list[Step] = field(default_factory=list)
    at: float = field(default_factory=time.monotonic)  # when the check ran

    @property
    def booting(self) -> bool:
        """It answers but is still booting, or went away during the check (a reboot
        that began meanwhile): worth waiting for."""
        return any(not s.ok and (NOT_BOOTED in s.detail or s.went_away) for s in self.steps)

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps)

    @property
    def reason(self) -> str:
        """The first failed step, in a line."""
        failed = next((s for s in self.steps if not s.ok), None)
        return f"{failed.name}: {failed.detail}" if failed else "healthy"

    def text(self) -> str:
        lines = [f"health check of {self.device_id}: {'PASS' if self.ok else 'FAIL'}"]
        for step in self.steps:
            mark = "ok  " if step.ok else "FAIL"
            lines.append(f"  {mark} {step.name:<12} {step.seconds * 1000:7.0f} ms  {step.detail}")
        return "\n".join(lines)


def check_health(dut: Dut, timeout: float = 5.0) -> HealthReport:
    report = HealthReport(dut.id)

    def step(name: str, probe: Callable[[], str]) -> bool:
        started = time.monotonic()
        went_away = False
        try:
            detail, ok = probe(), True
        except (LabError, OSError, ValueError) as exc:
            if isinstance(exc, LabError) and not isinstance(exc, DeviceError):
                raise  # the lab's own trouble (a lease lost to fencing): not the device's
            detail, ok = (exc.message if isinstance(exc, LabError) else str(exc)), False
            went_away = isinstance(exc, DeviceLost)
        report.steps.append(Step(name, ok, detail, time.monotonic() - started, went_away))
        return ok

    def adb_state() -> str:
        state = dut.adb.state(timeout=min(3.0, timeout))
        if state in ("offline", "absent") and ":" in dut.adb.serial:
            # a network device the server dropped (it rebooted, or was away): connect it
            # again, as `adb connect` would; a USB device comes back by itself
            with contextlib.suppress(LabError):
                AdbServer(dut.adb.server, timeout=min(3.0, timeout)).reconnect(dut.adb.serial)
            state = dut.adb.state(timeout=min(3.0, timeout))
        if state != "device":
            raise DeviceError(dut.id, "adb state", f"the adb server says {state!r}")
        return "device"

    def shell() -> str:
        result = dut.shell("echo lab-health; getprop sys.boot_completed", timeout=timeout)
        lines = result.stdout.split()
        if not lines and result.exit_code != 0:
            # adbd answered but its shell did not start ("exec '/system/bin/sh' failed"):
            # the device is coming up (a reboot's early boot), so it is waited for as one
            # that has not finished booting, within the recovery time
            said = result.stderr.strip()[:120] or "no output"
            raise DeviceError(
                dut.id, "shell", f"{NOT_BOOTED} (its shell did not start: exit "
                f"{result.exit_code}, {said})"
            )  # fmt: skip
        if lines[:1] != ["lab-health"]:
            raise DeviceError(
                dut.id,
                "shell",
                f"unexpected answer {result.stdout[:80]!r} (exit {result.exit_code}, "
                f"stderr {result.stderr.strip()[:80]!r})",
            )
        if lines[1:2] != ["1"]:
            raise DeviceError(dut.id, "shell", NOT_BOOTED)
        return "answers, booted"

    def screenshot() -> str:
        image = dut.screenshot(timeout=timeout)
        return f"{image.shape[1]}x{image.shape[0]} decodes"

    def ui_agent() -> str:
        # uiautomator2's agent: started on first use, as a UI test would (then ~50 ms)
        return f"answers (top app {dut.ui.info.get('currentPackageName', '?')})"

    def console() -> str:
        status, output = dut.console.run_status("echo lab-health", timeout=timeout)
        if status != 0 or "lab-health" not in output:
            raise DeviceError(dut.id, "console", f"unexpected answer {output[:80]!r}")
        return "answers at its prompt"

    if step("adb", adb_state) and step("shell", shell):
        step("screenshot", screenshot)
        step("ui agent", ui_agent)
    if dut.has_console:
        step("console", console)
    return report
