"""What the wallet's parts share: its package and log tag, what it needs of the device
around it (Host, Windows), a payment waiting for the PIN, a payment's outcome, and how
money and a merchant's QR read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

import numpy as np

PACKAGE = "com.tos.wallet"
TAG = "TosPay"
PIN_LENGTH = 6
RETRY_FOR = 120.0  # seconds a payment keeps retrying while the network is away


class Windows(Protocol):
    def start(self, package: str, activity: str | None = None) -> bool: ...
    def refresh(self) -> None: ...
    def show_toast(self, text: str, seconds: float = ...) -> None: ...
    def top_component(self) -> str: ...

    screen_on: bool


class Host(Protocol):
    """What the wallet needs of the device around it."""

    windows: Windows
    settings: dict[str, object]

    def log(self, priority: str, tag: str, message: str, pid: int = ...) -> None: ...
    def online(self) -> bool: ...
    def camera_frame(self) -> np.ndarray | None: ...


@dataclass
class Pending:
    """A payment waiting for the PIN: a charge the sandbox holds, or an order to pay."""

    kind: str  # charge | order | voice
    id: str
    amount: int
    merchant: str
    description: str


@dataclass
class Result:
    ok: bool
    amount: int
    merchant: str
    reason: str = ""


def money(fen: int) -> str:
    return f"¥{fen / 100:.2f}"


def refund_text(amount: int, language: str) -> str:
    """The toast of a refund received, in the device's language."""
    return f"已退款 {money(amount)}" if language == "zh" else f"Refund {money(amount)} received"


def order_of(text: str) -> str | None:
    """The order id in a merchant QR (`tospay://pay?order=ord_...`), else None."""
    if not text.startswith("tospay://"):
        return None
    found = parse_qs(urlsplit(text).query).get("order")
    return found[0] if found else None
