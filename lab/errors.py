"""The lab's error type: every user-facing failure says what, where and how to fix it."""

from __future__ import annotations


class LabError(Exception):
    """A failure the user can act on; the CLI prints it without a traceback (exit 2)."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  hint: {self.hint}"
        return self.message
