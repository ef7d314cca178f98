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
# the signatures of pictures and videos (PNG, JPEG, GIF, WebP/RIFF, WebM/Matroska); an MP4
# says `ftyp` at byte 4
MEDIA = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"\x1a\x45\xdf\xa3")


def is_media(data: bytes) -> bool:
    return data.startswith(MEDIA) or data[4:8] == b"ftyp"


class Redactor:
    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}  # secret -> label
        self._pattern: re.Pattern[str] | None = None
        self._raw: dict[str, str] = {}  # each secret's UTF-8 bytes read as Latin-1 -> label
        self._raw_pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def register(self, secret: str, label: str) -> None:
        """Hide `secret` as `[label]` from now on (a PIN, a key, a token)."""
        if not secret or len(secret) < MIN_SECRET:
            raise ValueError(f"a secret to hide has at least {MIN_SECRET} characters")
        with self._lock:
            self._secrets[secret] = label
            ordered = sorted(self._secrets, key=len, reverse=True)  # longest first
            self._pattern = re.compile("|".join(re.escape(s) for s in ordered))
            self._raw = {
                s.encode("utf-8").decode("latin-1"): lab for s, lab in self._secrets.items()
            }
            raw = sorted(self._raw, key=len, reverse=True)
            self._raw_pattern = re.compile("|".join(re.escape(s) for s in raw))

    def redact(self, text: str) -> str:
        pattern = self._pattern
        if pattern is not None:
            text = pattern.sub(lambda m: f"[{self._secrets.get(m.group(0), 'secret')}]", text)
        return mask_all(text)

    def redact_bytes(self, data: bytes) -> bytes:
        """For logs and attachments, whatever their encoding: a console line with a stray
        byte, a chunk cut mid-character, a log in Latin-1. Each byte is read as one
        Latin-1 character (a lossless mapping), and each secret is sought as the Latin-1
        reading of its UTF-8 bytes; so a secret and a card number are found in any bytes
        around them, and every other byte comes back unchanged. Images and videos are left
        alone: a secret in a picture is not in its bytes."""
        if is_media(data):
            return data
        text = data.decode("latin-1")
        pattern, labels = self._raw_pattern, self._raw
        if pattern is not None:
            text = pattern.sub(lambda m: f"[{labels.get(m.group(0), 'secret')}]", text)
        return mask_all(text).encode("latin-1")

    def known(self) -> list[str]:
        with self._lock:
            return list(self._secrets)


SECRETS = Redactor()


def register(secret: str, label: str) -> None:
    SECRETS.register(secret, label)


def redact(text: str) -> str:
    return SECRETS.redact(text)
