"""Vision errors: bad input is a VisionError; a golden that was never recorded is the
test's own defect (GoldenMissing); a screen that does not look right is a VisionMismatch
(a ProductFailure: the test fails rather than breaks)."""

from __future__ import annotations

from lab.errors import Category, LabError, ProductFailure


class VisionError(LabError):
    """The images cannot be compared or searched (sizes, shapes, unreadable files)."""


class GoldenMissing(VisionError):
    """The test names a golden nobody recorded: the test author's missing file."""

    category = Category.TEST_DEFECT


class VisionMismatch(ProductFailure):
    """The screen does not match (an AssertionError: the test fails, it does not break)."""

    category = Category.VISION_MISMATCH

    def __init__(self, message: str) -> None:
        super().__init__(f"vision mismatch: {message}")
