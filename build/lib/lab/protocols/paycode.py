"""Payment codes (付款码): 18 digits a wallet shows as a QR code and as digits, for a shop's
scanner to read. WeChat Pay's form: they start 10-15, are valid 60 s and single use, and a
wallet makes them offline from a secret it shares with the payment service.

Layout here: `PP WWWWWWWW OOOOOOOO`: PP = 10 + (issue second mod 6), W = the wallet's
number (8 digits, not secret: a code names its wallet), O = an HOTP (RFC 4226, pyotp) of
the issue second. The service finds the second by trying the last VALID_SECONDS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyotp

VALID_SECONDS = 60
CLOCK_SKEW = 5  # a wallet's clock may run this far ahead of the service's
_FORM = re.compile(r"^1[0-5]\d{16}$")


@dataclass(frozen=True)
class ParsedCode:
    prefix: int
    wallet_number: str
    otp: str


def issue(secret: str, wallet_number: str, at: int) -> str:
    """The code a wallet shows when issued at unix second `at` (base32 `secret`)."""
    if not (len(wallet_number) == 8 and wallet_number.isdigit()):
        raise ValueError("a wallet number is 8 digits")
    otp = pyotp.HOTP(secret, digits=8).at(at)
    return f"{10 + at % 6}{wallet_number}{otp}"


def parse(code: str) -> ParsedCode | None:
    """None when `code` is not of the form (18 digits starting 10-15)."""
    if not _FORM.match(code):
        return None
    return ParsedCode(int(code[:2]), code[2:10], code[10:])


def issued_at(secret: str, code: ParsedCode, now: int) -> int | None:
    """The second the code was issued, if it is a valid code of this secret issued less
    than VALID_SECONDS ago (a wallet shows a fresh one at VALID_SECONDS); None for a wrong
    or expired code."""
    hotp = pyotp.HOTP(secret, digits=8)
    for at in range(now + CLOCK_SKEW, now - VALID_SECONDS, -1):
        if 10 + at % 6 == code.prefix and hotp.verify(code.otp, at):
            return at
    return None


def expired_at(secret: str, code: ParsedCode, now: int, lookback: int = 3600) -> int | None:
    """For a code `issued_at` refused: the second it was issued if it is a real code of
    this secret that has expired (within `lookback`); lets the service say "expired"
    rather than "invalid"."""
    hotp = pyotp.HOTP(secret, digits=8)
    for at in range(now - VALID_SECONDS, now - lookback, -1):
        if 10 + at % 6 == code.prefix and hotp.verify(code.otp, at):
            return at
    return None


def new_secret() -> str:
    return pyotp.random_base32(32)
