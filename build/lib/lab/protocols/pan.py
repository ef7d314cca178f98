"""Card numbers (PANs): the Luhn check and the masked form a report may show (PCI DSS
4.0.1 3.4.1: at most the BIN, the first six, and the last four digits)."""

from __future__ import annotations

import re

# 13-19 digits, optionally in groups of four split by spaces or dashes, not inside a longer
# run of digits. Card numbers start 2-6 (Mastercard 2/5, Amex 3, Visa 4, UnionPay 6), which
# keeps payment codes (18 digits starting 1) out: they are one-time and shown on screen.
CANDIDATE = re.compile(r"(?<![\d])[2-6]\d{3}(?:[ -]?\d){9,15}(?![\d])")


def luhn_ok(digits: str) -> bool:
    if not digits.isdigit() or not 13 <= len(digits) <= 19:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def with_check_digit(body: str) -> str:
    """`body` plus the Luhn check digit that makes it a valid card number."""
    for digit in "0123456789":
        if luhn_ok(body + digit):
            return body + digit
    raise AssertionError("unreachable: one digit always completes a Luhn number")


def mask(pan: str) -> str:
    """`621234******1234`: BIN and last four, the rest starred."""
    digits = re.sub(r"\D", "", pan)
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]


def mask_all(text: str) -> str:
    """Every Luhn-valid card number in `text` shown masked."""

    def replace(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return mask(digits) if luhn_ok(digits) else match.group(0)

    return CANDIDATE.sub(replace, text)
