"""The game's paid level, sold through TOS+ Pay as a merchant: the lab gives the TV a
merchant key (a pushed JSON file, `com.tos.arcade.action.CONFIGURE`); "Unlock Pro" makes
an order in the payment sandbox and shows its QR code on the TV; the TV polls the order
(as a till does) until it is paid by whoever scanned it, then Pro is unlocked. An order
is made once per unlock (its Idempotency-Key), never twice for one press."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable

from lab.sim.apps.cloud_link import CloudLink, Offline, Refused

POLL_SECONDS = 1.0
ORDER_SECONDS = 600  # how long the order (and its QR code) stays payable


class ProShop:
    def __init__(self, online: Callable[[], bool], changed: Callable[[str], None]) -> None:
        self._online = online
        self._changed = changed
        self._link: CloudLink | None = None
        self.price = 0  # fen
        self.unlocked = False
        self.order: dict | None = None
        self.message = ""
        self._lock = threading.Lock()

    @property
    def configured(self) -> bool:
        return self._link is not None

    def configure(self, data: object) -> str:
        if not isinstance(data, dict):
            raise ValueError("the config is not a JSON object")
        for name, kind in (("endpoint", str), ("api_key", str), ("price", int)):
            if not isinstance(data.get(name), kind):
                raise ValueError(f"config field {name!r}: expected {kind.__name__}")
        if not data["endpoint"].startswith(("http://", "https://")):
            raise ValueError("config field 'endpoint': expected an http(s) URL")
        if not 1 <= data["price"] <= 100_000:
            raise ValueError("config field 'price': expected 1-100000 fen")
        with self._lock:
            if self._link:
                self._link.close()
            self._link = CloudLink(data["endpoint"], data["api_key"], self._online)
            self.price, self.unlocked, self.order, self.message = data["price"], False, None, ""
        return f"Pro for {self.price} fen"

    def unlock(self) -> None:
        """Make the order (once) and watch it until it is paid."""
        with self._lock:
            if self._link is None or self.unlocked or self.order is not None:
                return
            link, key = self._link, str(uuid.uuid4())
        threading.Thread(target=self._sell, args=(link, key), daemon=True,
                         name="arcade-shop").start()  # fmt: skip

    def _sell(self, link: CloudLink, key: str) -> None:
        body = {"amount": self.price, "description": "TOS+ Arcade Pro",
                "expires_in": ORDER_SECONDS}  # fmt: skip
        deadline = time.monotonic() + 30
        while True:  # the same key on every retry: one order, whatever was lost
            try:
                order = link.post("/v1/orders", body, key)
                break
            except Offline:
                if time.monotonic() > deadline:
                    self._say("offline")
                    return
                time.sleep(POLL_SECONDS)
            except Refused as exc:
                self._say(f"refused:{exc.code}")
                return
        with self._lock:
            self.order = order
        self._changed("order shown")
        self._watch(link, order["id"])

    def _watch(self, link: CloudLink, order_id: str) -> None:
        deadline = time.monotonic() + ORDER_SECONDS
        while time.monotonic() < deadline and self._link is link:
            try:
                status = link.get(f"/v1/orders/{order_id}")["status"]
            except (Offline, Refused):
                status = ""
            if status == "paid":
                with self._lock:
                    self.unlocked, self.order = True, None
                self._changed("pro unlocked")
                return
            if status == "closed":
                with self._lock:
                    self.order = None
                self._say("expired")
                return
            time.sleep(POLL_SECONDS)

    def _say(self, message: str) -> None:
        self.message = message
        self._changed(f"shop: {message}")
