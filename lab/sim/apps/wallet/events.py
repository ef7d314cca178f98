"""The sandbox's events for the wallet (code used, PIN required, charge succeeded or
declined, refund, wallet locked), long-polled over one link for as long as that link is
the wallet's; each is handed on in order, and one that fails is logged and passed over."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from lab.sim.apps.wallet.sandbox import Offline, Refused, SandboxLink

log = logging.getLogger("wallet")
WAIT = 20  # seconds the sandbox holds a poll open when nothing happens


class EventFeed:
    def __init__(
        self,
        link: SandboxLink,
        current: Callable[[SandboxLink], bool],
        on_event: Callable[[dict], None],
        warn: Callable[[str], None],
    ) -> None:
        self.link = link
        self.current = current  # whether `link` is still the wallet's
        self.on_event = on_event
        self.warn = warn
        self.after = 0  # the last event id handed on

    def start(self, skip_old: bool) -> None:
        """Poll on a thread of its own; `skip_old`: events before now are history."""
        threading.Thread(
            target=self._poll, args=(skip_old,), daemon=True, name="wallet-events"
        ).start()

    def _poll(self, skip_old: bool) -> None:
        link = self.link
        while self.current(link):
            try:
                if skip_old:
                    old = link.get("/v1/wallet/events", after=0)["data"]
                    self.after = max([e["id"] for e in old], default=0)
                    skip_old = False
                found = link.get("/v1/wallet/events", timeout=WAIT + 5, after=self.after, wait=WAIT)
            except Offline:
                time.sleep(1.0)
                continue
            except Refused as exc:
                self.warn(f"events refused: {exc.code}")
                time.sleep(2.0)
                continue
            for event in found["data"]:
                if not self.current(link):
                    break
                self.after = max(self.after, event["id"])
                try:
                    self.on_event(event)
                except Exception:  # one odd event must not stop the wallet
                    log.exception("wallet event %s", event.get("kind"))
