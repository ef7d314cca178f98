"""Device errors: each names the device and the operation, and says which kind it is, so
reports can sort them (device lost / timeout) apart from product defects."""

from __future__ import annotations

from lab.errors import Category, LabError, ProductFailure
from lab.redaction import redact


class DeviceError(LabError):
    """An operation on a device failed (the device said no, or answered nonsense)."""

    kind = "device error"
    category = Category.LAB_INFRASTRUCTURE

    def __init__(self, device_id: str, operation: str, detail: str, hint: str | None = None):
        # an operation echoes its command and the device's words: either may hold a secret
        operation, detail = redact(operation), redact(detail)
        super().__init__(f"{device_id}: {operation}: {self.kind}: {detail}", hint)
        self.device_id = device_id
        self.operation = operation
        self.detail = detail


class DeviceLost(DeviceError):
    """The device went away (connection refused or dropped, not attached, offline)."""

    kind = "device lost"
    category = Category.DEVICE_LOST


class DeviceTimeout(DeviceError):
    """The device did not answer in time."""

    kind = "timeout"
    category = Category.TIMEOUT


class NotOnScreen(DeviceError, ProductFailure):
    """The device answered every look, and what was awaited never showed (or never left):
    the screen is wrong, a product failure (failed, Vision mismatch), not a timeout of the
    device."""

    kind = "not on screen"
    category = Category.VISION_MISMATCH


class BadCapture(DeviceError):
    """A screenshot that cannot be trusted (not a PNG, wrong size)."""

    kind = "bad capture"


class DeviceUnavailable(DeviceError):
    """The device failed its health check: the test was not run on it."""

    kind = "device unavailable"
    category = Category.DEVICE_UNAVAILABLE

    def __init__(self, device_id: str, detail: str, report: str = "") -> None:
        super().__init__(
            device_id,
            "health check",
            detail,
            hint="the check's output is attached; `lab devices` shows the farm",
        )
        self.report = report  # the health check's full output
