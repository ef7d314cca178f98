"""Device errors: each names the device and the operation, and says which kind it is, so
reports can sort them (device lost / timeout) apart from product defects."""

from __future__ import annotations

from lab.errors import LabError


class DeviceError(LabError):
    """An operation on a device failed."""

    kind = "device error"

    def __init__(self, device_id: str, operation: str, detail: str, hint: str | None = None):
        super().__init__(f"{device_id}: {operation}: {self.kind}: {detail}", hint)
        self.device_id = device_id
        self.operation = operation
        self.detail = detail


class DeviceLost(DeviceError):
    """The device went away (connection refused or dropped, not attached, offline)."""

    kind = "device lost"


class DeviceTimeout(DeviceError):
    """The device did not answer in time."""

    kind = "timeout"


class BadCapture(DeviceError):
    """A screenshot that cannot be trusted (not a PNG, wrong size)."""

    kind = "bad capture"
