"""The code the wallet shows and the card's transaction counter. The code is issued from
the wallet's secret (lab.protocols.paycode), fresh every VALID_SECONDS and after each use:
one second, one code. The counter (EMV's ATC) survives a reboot in a file."""

from __future__ import annotations

import time
from pathlib import Path

from lab.protocols import paycode
from lab.sim.apps.wallet.config import WalletConfig


class PaymentCode:
    def __init__(self) -> None:
        self.value = ""
        self._at = 0  # the second it was issued for

    def stale(self) -> bool:
        return time.time() - self._at >= paycode.VALID_SECONDS

    def renew(self, config: WalletConfig | None) -> None:
        if not config:
            return
        at = max(int(time.time()), self._at + 1)  # a fresh second: a fresh code
        self.value = paycode.issue(config.code_secret, config.number, at)
        self._at = at


class Counter:
    """A counter kept in a file: the next value, one more than the last handed out."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def next(self) -> int:
        try:
            value = int(self.path.read_text()) + 1
        except (OSError, ValueError):
            value = 1
        self.path.write_text(str(value))
        return value
