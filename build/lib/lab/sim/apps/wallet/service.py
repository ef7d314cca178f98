"""What the wallet keeps and does in the background: its payment code (fresh every 60 s
and after each use), the sandbox's events (long-polled), the PIN pad when a charge wants
it, payments it sends (retried under one Idempotency-Key until an answer comes), the
camera scan of a merchant's QR, and the card it emulates while showing its code.

It logs what a real wallet logs (tag TosPay): never the PIN, the code or a card number."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

import numpy as np

from lab.protocols import paycode
from lab.sim.android.camera import read_qr
from lab.sim.apps.wallet.card import EmulatedCard
from lab.sim.apps.wallet.config import ConfigError, WalletConfig
from lab.sim.apps.wallet.sandbox import Offline, Refused, SandboxLink

log = logging.getLogger("wallet")
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


class WalletService:
    def __init__(self, host: Host, folder: Path) -> None:
        self.host = host
        self.folder = folder
        self.config = WalletConfig.load(folder / "config.json")
        self.balance: int | None = None
        self.locked = False
        self.pending: Pending | None = None
        self.pin_entered = 0  # how many digits are in (the digits themselves: _pin)
        self.pin_message = ""
        self.result: Result | None = None
        self.order: dict | None = None  # scanned from a merchant's QR
        self.busy = ""  # "paying" | "offline": shown while a payment is in flight
        self.transactions: list[dict] | None = None
        self.scan_message = ""
        self._pin = ""
        self._code = ""
        self._code_at = 0
        self._shown: set[str] = set()  # charges whose result was shown
        self._after = 0
        self._link: SandboxLink | None = None
        self._running = False
        self._generation = 0
        self._lock = threading.RLock()
        self.card: EmulatedCard | None = None
        if self.config:  # set up before a reboot: events from before it are history
            self._connect(self.config, skip_old=True)

    # -- life cycle (the app's process runs from boot)
    def start(self) -> None:
        with self._lock:
            if self._running:
                return
            self._running = True
            self._generation += 1
            generation = self._generation
            if self._link is not None:
                self._listen(self._link, skip_old=True)
        threading.Thread(
            target=self._tick, args=(generation,), daemon=True, name="wallet-code"
        ).start()

    def stop(self) -> None:
        with self._lock:
            self._running = False
            self._generation += 1
            self.pending, self._pin, self.pin_entered, self.busy = None, "", 0, ""

    def _live(self, generation: int) -> bool:
        return self._running and generation == self._generation

    # -- configuration (the lab, through adb)
    def configure(self, data: object) -> str:
        config = WalletConfig.parse(data)  # ConfigError names the field
        config.save(self.folder / "config.json")
        with self._lock:
            self.config = config
            self.result, self.pending, self.order, self.locked = None, None, None, False
            self._shown.clear()
            self._connect(config, skip_old=False)  # a new wallet: every event is news
        self._log("I", f"configured wallet {config.wallet}, card {config.card.display}")
        self._refresh_balance()
        self.host.windows.refresh()
        return config.wallet

    def _connect(self, config: WalletConfig, skip_old: bool) -> None:
        self._link = SandboxLink(config, self.host.online)
        self._after = 0
        self._code_at = 0  # a new secret: its codes start from now
        if self._running:  # the old link's listener ends after its current poll
            self._listen(self._link, skip_old)
        self._new_code()
        self._atc_path = self.folder / "atc"
        self.card = EmulatedCard(
            config.card, self._next_atc, lambda: False, lambda m: self._log("I", m)
        )

    def _next_atc(self) -> int:
        try:
            atc = int(self._atc_path.read_text()) + 1
        except (OSError, ValueError):
            atc = 1
        self._atc_path.write_text(str(atc))
        return atc

    # -- the payment code
    def code(self) -> str:
        with self._lock:
            if self.config and time.time() - self._code_at >= paycode.VALID_SECONDS:
                self._new_code()
            return self._code

    def _new_code(self) -> None:
        if not self.config:
            return
        at = max(int(time.time()), self._code_at + 1)  # a fresh second: a fresh code
        self._code = paycode.issue(self.config.code_secret, self.config.number, at)
        self._code_at = at

    def _tick(self, generation: int) -> None:
        """A new code every 60 s while the device is up (the screen shows it)."""
        while self._live(generation):
            time.sleep(1.0)
            with self._lock:
                if self.config and time.time() - self._code_at >= paycode.VALID_SECONDS:
                    self._new_code()
                    self._log("I", "payment code refreshed (60 s)")
                    self.host.windows.refresh()

    def in_pay_mode(self) -> bool:
        """Showing its code, screen on: the wallet answers as a card over NFC then."""
        windows = self.host.windows
        return (
            self.config is not None
            and not self.locked
            and windows.screen_on
            and windows.top_component() == f"{PACKAGE}/.PayCode"
            and bool(self.host.settings.get("nfc", True))
        )

    # -- events from the sandbox (long poll)
    def _listen(self, link: SandboxLink, skip_old: bool) -> None:
        threading.Thread(
            target=self._poll, args=(link, skip_old), daemon=True, name="wallet-events"
        ).start()

    def _current(self, link: SandboxLink) -> bool:
        return self._running and self._link is link

    def _poll(self, link: SandboxLink, skip_old: bool) -> None:
        """One link's events, for as long as it is the wallet's link."""
        while self._current(link):
            try:
                if skip_old:
                    old = link.get("/v1/wallet/events", after=0)["data"]
                    self._after = max([e["id"] for e in old], default=0)
                    skip_old = False
                found = link.get("/v1/wallet/events", timeout=25, after=self._after, wait=20)
            except Offline:
                time.sleep(1.0)
                continue
            except Refused as exc:
                self._log("W", f"events refused: {exc.code}")
                time.sleep(2.0)
                continue
            for event in found["data"]:
                if not self._current(link):
                    break
                self._after = max(self._after, event["id"])
                try:
                    self._on_event(event)
                except Exception:  # one odd event must not stop the wallet
                    log.exception("wallet event %s", event.get("kind"))

    def _on_event(self, event: dict) -> None:
        kind = event["kind"]
        with self._lock:
            if kind == "code_used":
                self._new_code()
                self._log("I", "payment code used; a fresh one is shown")
            elif kind == "pin_required":
                self.pending = Pending(
                    "charge",
                    event["charge"],
                    event["amount"],
                    event.get("merchant", ""),
                    event.get("description", ""),
                )
                self._pin, self.pin_entered, self.pin_message = "", 0, ""
                self._log("I", f"PIN requested for {money(event['amount'])}")
                self.host.windows.start(PACKAGE, ".PinPad")
                self._background(self._prompted, event["charge"])
            elif kind == "charge_succeeded":
                self.balance = event.get("balance", self.balance)
                self._finish(
                    event["charge"], Result(True, event["amount"], event.get("merchant", ""))
                )
            elif kind == "charge_declined":
                if event.get("reason") == "canceled_by_user":
                    self._shown.add(event["charge"])
                else:
                    merchant, reason = event.get("merchant", ""), event.get("reason", "")
                    self._finish(event["charge"], Result(False, event["amount"], merchant, reason))
            elif kind == "refund_succeeded":
                self.balance = event.get("balance", self.balance)
                self.transactions = None
                self._log("I", f"refund {money(event['amount'])} received")
                self.host.windows.show_toast(self._refund_text(event["amount"]))
            elif kind == "wallet_locked":
                self.locked = True
            self.host.windows.refresh()

    def _refund_text(self, amount: int) -> str:
        if self.host.settings.get("language") == "zh":
            return f"已退款 {money(amount)}"
        return f"Refund {money(amount)} received"

    def _finish(self, charge: str, result: Result) -> None:
        """Show a charge's outcome once (from its event or from the reply, whichever first)."""
        if charge in self._shown:
            return
        self._shown.add(charge)
        if self.pending and self.pending.id == charge:
            self.pending = None
        if result.reason == "wallet_locked":
            self.locked = True
        self.result, self.busy, self.transactions = result, "", None
        outcome = "succeeded" if result.ok else f"declined ({result.reason})"
        self._log("I", f"payment {charge} {outcome}: {money(result.amount)}")
        # the banner takes the place of the PIN pad or the scan that led to it
        self.host.windows.close(PACKAGE, {".PinPad", ".Confirm", ".Scan", ".Result"})
        self.host.windows.start(PACKAGE, ".Result")

    def _prompted(self, charge: str) -> None:
        link = self._link
        if link:
            # only a status for the shop to see (userpaying); the PIN itself decides
            with contextlib.suppress(Offline, Refused):
                link.post(f"/v1/wallet/charges/{charge}/prompted", None, f"prompted-{charge}")

    # -- the PIN pad
    def key(self, key: str) -> None:
        with self._lock:
            if self.pending is None or self.busy:
                return
            if key == "del":
                self._pin = self._pin[:-1]
            elif key == "cancel":
                self._cancel()
                return
            elif key.isdigit() and len(self._pin) < PIN_LENGTH:
                self._pin += key
            self.pin_entered = len(self._pin)
            if len(self._pin) == PIN_LENGTH:
                pin, self._pin, self.pin_entered = self._pin, "", 0
                self._log("I", "PIN entered")
                self._submit_pin(pin)
            self.host.windows.refresh()

    def _cancel(self) -> None:
        pending, self.pending, self._pin, self.pin_entered = self.pending, None, "", 0
        if pending and pending.kind == "charge":
            self._background(self._send, f"/v1/wallet/charges/{pending.id}/cancel", None, pending)
        self._log("I", "payment cancelled by the user")
        self.host.windows.close(PACKAGE, {".PinPad", ".Confirm"})

    def _submit_pin(self, pin: str) -> None:
        pending = self.pending
        assert pending is not None
        if pending.kind == "charge":
            path, body = f"/v1/wallet/charges/{pending.id}/pin", {"pin": pin}
        else:
            path, body = f"/v1/wallet/orders/{pending.id}/pay", {"pin": pin}
        self._background(self._send, path, body, pending)

    # -- paying a scanned order
    def pay_order(self) -> None:
        with self._lock:
            order = self.order
            if not order or not self.config or self.busy:
                return
            pending = Pending(
                "order",
                order["id"],
                order["amount"],
                order.get("merchant", ""),
                order.get("description", ""),
            )
            if order["amount"] > self.config.pin_limit:
                self.pending, self._pin, self.pin_entered, self.pin_message = pending, "", 0, ""
                self.host.windows.start(PACKAGE, ".PinPad")
                return
            self._background(self._send, f"/v1/wallet/orders/{order['id']}/pay", {}, pending)

    # -- a payment asked for by voice (the assistant's "pay N yuan")
    def voice_pay(self, amount: int) -> str:
        """Ask the sandbox for a payment of `amount` fen to the configured payee; the PIN
        pad follows its pin_required event. Returns "" when asked, else why not."""
        with self._lock:
            if not self.config:
                return "not_set_up"
            if not self.config.voice_payee:
                return "no_payee"
            pending = Pending("voice", "", amount, "", "voice payment")
            body = {"amount": amount, "merchant": self.config.voice_payee}
        self._log("I", f"voice payment of {money(amount)} asked for")
        self._background(self._send, "/v1/wallet/payments", body, pending)
        return ""

    def _send(self, path: str, body: dict | None, pending: Pending) -> None:
        """One user action to the sandbox: retried under its key while there is no answer
        (an answer may have been lost after the payment went through; the key makes the
        retry safe), until it answers or RETRY_FOR passes. It belongs to the wallet that
        started it: if the lab configures another one meanwhile, its answer is dropped."""
        key = str(uuid.uuid4())
        deadline = time.monotonic() + RETRY_FOR
        link = self._link
        if link is None:
            return
        self._set_busy("paying")
        while True:
            try:
                answer = link.post(path, body, key)
            except Offline:
                if not self._current(link):
                    return
                if time.monotonic() > deadline:
                    self._set_busy("")
                    self._log("W", "no answer from the sandbox: the payment's outcome is unknown")
                    return
                self._set_busy("offline")
                time.sleep(1.0)
                continue
            except Refused as exc:
                if self._current(link):
                    self._refused(exc, pending)
                return
            if self._current(link):
                self._answered(answer, pending)
            return

    def _answered(self, charge: dict, pending: Pending) -> None:
        with self._lock:
            self.busy = ""
            status = charge.get("status")
            if status == "succeeded":
                self._finish(charge["id"], Result(True, charge["amount"], pending.merchant))
                self._refresh_balance()
            elif status == "declined" and charge.get("decline_reason") != "canceled_by_user":
                self._finish(
                    charge["id"],
                    Result(
                        False,
                        charge["amount"],
                        pending.merchant,
                        charge.get("decline_reason") or "",
                    ),
                )
            self.host.windows.refresh()

    def _refused(self, exc: Refused, pending: Pending) -> None:
        with self._lock:
            self.busy = ""
            if exc.code == "pin_incorrect":
                left = int(exc.body.get("attempts_left", 0))
                self.pin_message = f"wrong_pin:{left}"
                self._log("W", f"wrong PIN, {left} attempts left")
            else:
                # one banner per charge: the sandbox's event about it must not show another
                key = pending.id if pending.kind == "charge" else f"order-{pending.id}"
                if exc.code == "wallet_locked":
                    self.locked = True
                else:
                    self._log("W", f"payment refused: {exc.code}")
                self._finish(key, Result(False, pending.amount, pending.merchant, exc.code))
            self.host.windows.refresh()

    def _set_busy(self, state: str) -> None:
        with self._lock:
            if self.busy != state:
                self.busy = state
                self.host.windows.refresh()

    # -- balance and transactions
    def _refresh_balance(self) -> None:
        self._background(self._load_wallet)

    def _load_wallet(self) -> None:
        link = self._link
        if not link:
            return
        try:
            wallet = link.get("/v1/wallet")
        except (Offline, Refused):
            return
        with self._lock:
            self.balance, self.locked = wallet["balance"], wallet["locked"]
        self.host.windows.refresh()

    def load_transactions(self) -> None:
        def load() -> None:
            link = self._link
            if not link:
                return
            try:
                found = link.get("/v1/wallet/transactions")["data"]
            except (Offline, Refused):
                return
            with self._lock:
                self.transactions = found
            self.host.windows.refresh()

        self._background(load)

    # -- scanning a merchant's QR (the camera)
    def scan(self) -> None:
        self.scan_message = "looking"
        self._background(self._scan)

    def _scan(self) -> None:
        """Reads camera frames while the Scan screen is up. The screen opens just after
        this starts (the tap's navigation follows the action), so leaving it is what
        ends the scan, not its absence in the first moments."""
        started = time.monotonic()
        deadline, seen = started + 60, False
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
            order_id = _order_of(text)
            if order_id and self._link:
                try:
                    self.open_order(order_id)
                except Offline:
                    self.scan_message = "offline"
                except Refused as exc:
                    self.scan_message = f"refused:{exc.code}"
                else:
                    return
            elif text:
                self.scan_message = "not_payment"
            else:
                self.scan_message = "no_code"
            self.host.windows.refresh()
            time.sleep(0.3)

    def open_order(self, order_id: str) -> None:
        """Show an order for the customer to confirm: scanned from a merchant's QR, or
        handed over by an app paying in the wallet (the store). Offline or Refused."""
        link = self._link
        if link is None:
            raise Offline("the wallet is not set up")
        order = link.get(f"/v1/wallet/orders/{order_id}")
        self.order, self.result = order, None
        self._log("I", f"an order of {money(order['amount'])} to confirm")
        self.host.windows.start(PACKAGE, ".Confirm")

    # -- helpers
    def _background(self, target: Callable, *args: object) -> None:
        threading.Thread(target=target, args=args, daemon=True, name="wallet-call").start()

    def _log(self, priority: str, message: str) -> None:
        self.host.log(priority, TAG, message)


def _order_of(text: str) -> str | None:
    """The order id in a merchant QR (`tospay://pay?order=ord_...`), else None."""
    if not text.startswith("tospay://"):
        return None
    found = parse_qs(urlsplit(text).query).get("order")
    return found[0] if found else None


__all__ = ["PACKAGE", "ConfigError", "Pending", "Result", "WalletService", "money"]
