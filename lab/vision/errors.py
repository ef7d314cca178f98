"""Vision errors: bad input is a VisionError; a screen that does not look right is a
VisionMismatch (an AssertionError, so the test fails rather than breaks)."""

from __future__ import annotations

from lab.errors import Category, LabError


class VisionError(LabError):
    """The images cannot be compared or searched (sizes, shapes, unreadable files)."""


class VisionMismatch(AssertionError):
    """The screen does not match (an AssertionError: the test fails, it does not break)."""

    category = Category.VISION_MISMATCH

    def __init__(self, message: str) -> None:
        super().__init__(f"vision mismatch: {message}")
