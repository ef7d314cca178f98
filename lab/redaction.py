"""Secrets never leave the process in the clear: PINs, API keys, payment tokens and card
numbers the lab learns are registered here, and every way out (logcat and console
captures, error messages, Allure attachments and steps, JUnit) passes its text through
`redact`. Card numbers it was never told about are masked too, when Luhn-valid (BIN and
last four, PCI DSS 3.4.1).

One registry per process, on purpose: a secret must be hidden from every output, including
ones that never see the object that learned it (a logcat thread, pytest's report).
"""

from __future__ import annotations

import re
import threading

from lab.protocols.pan import mask_all

MIN_SECRET = 4  # shorter strings (a 3-digit CVV?) would blank out ordinary numbers


class Redactor:
    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}  # secret -> label
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def register(self, secret: str, label: str) -> None:
        """Hide `secret` as `[label]` from now on (a PIN, a key, a token)."""
        if not secret or len(secret) < MIN_SECRET:
            raise ValueError(f"a secret to hide has at least {MIN_SECRET} characters")
        with self._lock:
            self._secrets[secret] = label
            ordered = sorted(self._secrets, key=len, reverse=True)  # longest first
            self._pattern = re.compile("|".join(re.escape(s) for s in ordered))

    def redact(self, text: str) -> str:
        pattern = self._pattern
        if pattern is not None:
            text = pattern.sub(lambda m: f"[{self._secrets.get(m.group(0), 'secret')}]", text)
        return mask_all(text)

    def redact_bytes(self, data: bytes) -> bytes:
        """For attachments: text is redacted, binary (a PNG) is left alone."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return data
        return self.redact(text).encode("utf-8")

    def known(self) -> list[str]:
        with self._lock:
            return list(self._secrets)


SECRETS = Redactor()


def register(secret: str, label: str) -> None:
    SECRETS.register(secret, label)


def redact(text: str) -> str:
    return SECRETS.redact(text)
