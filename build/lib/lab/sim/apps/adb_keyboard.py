"""AdbKeyboard, the input method in uiautomator2's app-uiautomator.apk, as that app behaves
on a device: its broadcast receiver types, clears and hides. A virtual device runs no dex
code, so this is the app's behaviour written down; it answers only once that APK is
installed and chosen as the input method (`ime set`), as on a device.
"""

from __future__ import annotations

import base64
import binascii
from typing import Protocol

PACKAGE = "com.github.uiautomator"
IME_ID = "com.github.uiautomator/.AdbKeyboard"
OK = -1  # Activity.RESULT_OK, what the receiver sets


class Keyboard(Protocol):
    """What the input method reaches of the device: its focused field and clipboard."""

    clipboard: str | None

    def type_text(self, text: str) -> bool: ...
    def clear_text(self) -> bool: ...
    def hide_keyboard(self) -> None: ...


def receive(action: str, extras: dict[str, str], keyboard: Keyboard) -> tuple[int, str] | None:
    """(result code, result data) for an ADB_KEYBOARD_* broadcast; None if not ours."""
    if action == "ADB_KEYBOARD_INPUT_TEXT":
        try:
            text = base64.b64decode(extras.get("text", ""), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return 0, "text is not base64 of UTF-8"
        keyboard.type_text(text)
        return OK, "success"
    if action == "ADB_KEYBOARD_CLEAR_TEXT":
        keyboard.clear_text()
        return OK, "success"
    if action == "ADB_KEYBOARD_HIDE":
        keyboard.hide_keyboard()
        return OK, "success"
    if action in ("ADB_KEYBOARD_EDITOR_CODE", "ADB_KEYBOARD_SMART_ENTER"):
        return OK, "success"
    if action == "ADB_KEYBOARD_GET_CLIPBOARD":
        text = keyboard.clipboard or ""
        return OK, base64.b64encode(text.encode()).decode()
    return None
