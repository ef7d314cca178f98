"""The wallet's Scan screen: camera frames read for a merchant's QR while the screen is
up; a payment order found opens for the customer to confirm."""

from __future__ import annotations

import time
from collections.abc import Callable

from lab.sim.android.camera import read_qr
from lab.sim.apps.wallet.model import PACKAGE, Host, order_of
from lab.sim.apps.wallet.sandbox import Offline, Refused

SCAN_FOR = 60.0  # seconds a scan looks before it gives up
FRAME_EVERY = 0.3  # seconds between two frames read


class Scanner:
    def __init__(
        self,
        host: Host,
        open_order: Callable[[str], None],
        linked: Callable[[], bool],
        say: Callable[[str], None],
    ) -> None:
        """`open_order(id)` shows an order (Offline or Refused); `linked()`: the wallet is
        set up; `say(status)`: what the screen shows (no_code, not_payment, offline...)."""
        self.host = host
        self.open_order = open_order
        self.linked = linked
        self.say = say

    def run(self) -> None:
        """Reads camera frames while the Scan screen is up. The screen opens just after
        this starts (the tap's navigation follows the action), so leaving it is what
        ends the scan, not its absence in the first moments."""
        started = time.monotonic()
        deadline, seen = started + SCAN_FOR, False
        while time.monotonic() < deadline:
            on_scan = self.host.windows.top_component() == f"{PACKAGE}/.Scan"
            seen = seen or on_scan
            if not on_scan and (seen or time.monotonic() - started > 5):
                return
            if not on_scan:
                time.sleep(0.05)
                continue
            frame = self.host.camera_frame()
            text = read_qr(frame) if frame is not None else ""
            order_id = order_of(text)
            if order_id and self.linked():
                try:
                    self.open_order(order_id)
                except Offline:
                    self.say("offline")
                except Refused as exc:
                    self.say(f"refused:{exc.code}")
                else:
                    return
            else:
                self.say("not_payment" if text else "no_code")
            time.sleep(FRAME_EVERY)
