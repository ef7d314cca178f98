"""The lab's error type and the report categories failures fall into.

Each error class carries its category (Mobly's signals.py: outcomes as typed errors), so
the report sorts failures by what raised them, from this one registry, never by matching
words in messages.
"""

from __future__ import annotations

from enum import Enum


class Category(str, Enum):
    """Where a failed or broken test lands in the report, in matching order."""

    DEVICE_UNAVAILABLE = "Device unavailable"  # failed its health check: the test never ran
    DEVICE_LOST = "Device lost"  # went away during the test
    TIMEOUT = "Timeout"  # a device or the test did not finish in time
    VISION_MISMATCH = "Vision mismatch"  # the screen does not look as it should
    LAB_INFRASTRUCTURE = "Lab infrastructure"  # leases, the lab's own tools and services
    PRODUCT_DEFECT = "Product defect"  # an assertion about the device failed
    TEST_DEFECT = "Test defect"  # the test itself broke (its own bug)

    @property
    def statuses(self) -> tuple[str, ...]:
        """The Allure statuses a result of this category can have."""
        if self in (Category.PRODUCT_DEFECT, Category.VISION_MISMATCH):
            return ("failed",)
        if self is Category.TEST_DEFECT:
            return ("broken",)
        return ("failed", "broken")


class LabError(Exception):
    """A failure the user can act on; the CLI prints it without a traceback (exit 2). In a
    test it is the lab's (or a device's) fault, never the test's."""

    exit_code = 2
    category = Category.LAB_INFRASTRUCTURE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  hint: {self.hint}"
        return self.message
