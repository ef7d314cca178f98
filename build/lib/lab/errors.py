"""The lab's error type and the report categories failures fall into.

Each error class carries its category (Mobly's signals.py: outcomes as typed errors), so
the report sorts failures by what raised them, from this one registry, never by matching
words in messages.

A category also says how a result of it is reported: the product's failures (a defect, a
screen that looks wrong) are "failed", the rest "broken". pytest and Allure call a test
failed only when it raised an AssertionError, so an error of a failed-only category is an
AssertionError (derive it from ProductFailure); LabError refuses, when the class is
defined, any class whose category and kind disagree.
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
        """The Allure statuses a result of this category can have: the product's failures
        are "failed"; what the lab, a device or the test itself did wrong is "broken"; a
        lost device or a timeout can end either kind of test."""
        if self in (Category.PRODUCT_DEFECT, Category.VISION_MISMATCH):
            return ("failed",)
        if self in (Category.DEVICE_LOST, Category.TIMEOUT):
            return ("failed", "broken")
        return ("broken",)


class LabError(Exception):
    """A failure the user can act on; the CLI prints it without a traceback (exit 2). In a
    test its category says whose fault it was (the lab's, the device's, the product's)."""

    exit_code = 2
    category = Category.LAB_INFRASTRUCTURE

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        statuses = cls.category.statuses
        asserts = issubclass(cls, AssertionError)
        if statuses == ("failed",) and not asserts:
            raise TypeError(
                f"{cls.__qualname__}: a {cls.category.value} is reported failed, which "
                "pytest and Allure give only an AssertionError: derive it from ProductFailure"
            )
        if "failed" not in statuses and asserts:
            raise TypeError(
                f"{cls.__qualname__}: a {cls.category.value} is reported broken, never "
                "failed: it must not be an AssertionError"
            )

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  hint: {self.hint}"
        return self.message


class ProductFailure(LabError, AssertionError):
    """The product did something wrong (a payment refused, a card missing, a screen that
    does not show what it should): the test failed, it did not break."""

    category = Category.PRODUCT_DEFECT
