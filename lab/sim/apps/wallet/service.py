"""What the wallet keeps and does in the background: its payment code (code.py), the
sandbox's events (events.py), the PIN pad, payments it sends (retried under one
Idempotency-Key until an answer comes), the scan of a merchant's QR (scanner.py) and the
card it emulates while showing its code. It logs as a real wallet does (tag TosPay):
never the PIN, the code or a card number."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from lab.sim.apps.wallet.card import EmulatedCard
from lab.sim.apps.wallet.code import Counter, PaymentCode
from lab.sim.apps.wallet.config import WalletConfig
from lab.sim.apps.wallet.events import EventFeed
from lab.sim.apps.wallet.model import (
    PACKAGE,
    PIN_LENGTH,
    RETRY_FOR,
    TAG,
    Host,
    Pending,
    Result,
    money,
    refund_text,
)
from lab.sim.apps.wallet.sandbox import Offline, Refused, SandboxLink
from lab.sim.apps.wallet.scanner import Scanner


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
        self._code = PaymentCode()
        self._shown: set[str] = set()  # charges whose result was shown
        self._link: SandboxLink | None = None
        self._running = False
        self._generation = 0
        self._lock = threading.RLock()
        self.card: EmulatedCard | None = None
        self._scanner = Scanner(
            host, self.open_order, lambda: self._link is not None, self._scanned
        )
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
        self._background(self._tick, generation)

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
        self._code = PaymentCode()  # a new secret: its codes start from now
        if self._running:  # the old link's listener ends after its current poll
            self._listen(self._link, skip_old)
        self._code.renew(config)
        atc = Counter(self.folder / "atc")
        self.card = EmulatedCard(config.card, atc.next, lambda: False, lambda m: self._log("I", m))

    # -- the payment code (lab/sim/apps/wallet/code.py)
    def code(self) -> str:
        with self._lock:
            if self.config and self._code.stale():
                self._code.renew(self.config)
            return self._code.value

    def _tick(self, generation: int) -> None:
        """A new code every 60 s while the device is up (the screen shows it)."""
        while self._live(generation):
            time.sleep(1.0)
            with self._lock:
                if self.config and self._code.stale():
                    self._code.renew(self.config)
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

    # -- events from the sandbox (long-polled: lab/sim/apps/wallet/events.py)
    def _listen(self, link: SandboxLink, skip_old: bool) -> None:
        """A feed for `link` while it is the wallet's and the app runs as it does now (a
        stop and start within one long poll must not leave two feeds handing on events)."""
        generation = self._generation

        def current(of: SandboxLink) -> bool:
            return self._current(of) and self._generation == generation

        EventFeed(link, current, self._on_event, lambda m: self._log("W", m)).start(skip_old)

    def _current(self, link: SandboxLink) -> bool:
        return self._running and self._link is link

    def _on_event(self, event: dict) -> None:
        kind = event["kind"]
        with self._lock:
            if kind == "code_used":
                self._code.renew(self.config)
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
                language = str(self.host.settings.get("language", "en"))
                self.host.windows.show_toast(refund_text(event["amount"], language))
            elif kind == "wallet_locked":
                self.locked = True
            self.host.windows.refresh()

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
        """Only a status for the shop to see (userpaying); the PIN itself decides."""
        link = self._link
        with contextlib.suppress(Offline, Refused):
            if link:
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
            merchant, about = order.get("merchant", ""), order.get("description", "")
            pending = Pending("order", order["id"], order["amount"], merchant, about)
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
                reason = charge.get("decline_reason") or ""
                self._finish(
                    charge["id"], Result(False, charge["amount"], pending.merchant, reason)
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
        self._background(self._fetch, "/v1/wallet", self._got_wallet)

    def _got_wallet(self, wallet: dict) -> None:
        self.balance, self.locked = wallet["balance"], wallet["locked"]

    def load_transactions(self) -> None:
        self._background(self._fetch, "/v1/wallet/transactions", self._got_transactions)

    def _got_transactions(self, found: dict) -> None:
        self.transactions = found["data"]

    def _fetch(self, path: str, then: Callable[[dict], None]) -> None:
        """GET `path` from the sandbox and hand the answer to `then` (under the lock);
        offline or refused, the screen keeps what it shows."""
        link = self._link
        if not link:
            return
        try:
            found = link.get(path)
        except (Offline, Refused):
            return
        with self._lock:
            then(found)
        self.host.windows.refresh()

    # -- scanning a merchant's QR (the camera: lab/sim/apps/wallet/scanner.py)
    def scan(self) -> None:
        self.scan_message = "looking"
        self._background(self._scanner.run)

    def _scanned(self, status: str) -> None:
        self.scan_message = status
        self.host.windows.refresh()

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
