"""The payment sandbox from outside: the lab provisions merchants and device wallets with
its admin key; a suite then acts as a shop (orders, micropay, refunds, NFC authorisation)
with a merchant's key. Every secret the sandbox hands out is registered for redaction
before anything can print it."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from functools import cached_property

from lab.cloud.http import Client
from lab.errors import LabError
from lab.inventory import Inventory
from lab.redaction import register
from lab.runtime import runtime_dir


def admin_key(service: str = "payment") -> str:
    """The lab's key to a service: from the environment (LAB_PAYMENT_ADMIN_KEY for a remote
    sandbox) or the one `lab services up` wrote on this host."""
    env = f"LAB_{service.upper()}_ADMIN_KEY"
    if os.environ.get(env):
        return os.environ[env]
    path = runtime_dir() / "services" / f"{service}.admin-key"
    try:
        return path.read_text().strip()
    except OSError:
        raise LabError(
            f"no admin key for the {service} service ({path} is missing)",
            hint=f"start it with `lab services up`, or set {env} for a remote one",
        ) from None


@dataclass(frozen=True)
class Card:
    token: str = field(repr=False)  # the DPAN the device shows in an NFC exchange
    psn: str = ""
    expiry: str = ""
    icc_key: str = field(default="", repr=False)  # the card's own key: the device signs
    display: str = ""  # BIN and last four of the real card


@dataclass(frozen=True)
class WalletAccess:
    """What the lab gives a device's wallet (through adb, see lab.device.wallet)."""

    id: str
    account: str
    number: str
    api_key: str = field(repr=False)  # secrets stay out of reprs: a failing test prints them
    code_secret: str = field(repr=False)
    card: Card
    pin_limit: int = 20000
    url: str = ""
    voice_payee: str = ""  # the merchant a "pay N yuan" by voice pays (the shop at hand)

    def device_config(self) -> dict:
        return {
            **({"voice_payee": self.voice_payee} if self.voice_payee else {}),
            "endpoint": self.url,
            "wallet": self.id,
            "account": self.account,
            "number": self.number,
            "api_key": self.api_key,
            "code_secret": self.code_secret,
            "pin_limit": self.pin_limit,
            "card": vars(self.card),
        }

    @cached_property
    def _api(self) -> Client:
        """One client per wallet: a new httpx.Client costs ~28 ms (it builds a TLS context),
        more than the payment it would carry, and keeps no connection alive."""
        return Client(self.url, self.api_key)

    def pay_order(self, order_id: str, pin: str | None = None) -> dict:
        """What the wallet does with a scanned order (tests acting as the device)."""
        body = {"pin": pin} if pin is not None else {}
        return self._api.post(f"/v1/wallet/orders/{order_id}/pay", body)


class Merchant:
    """A shop: its till's calls, with its own key."""

    def __init__(self, url: str, merchant_id: str, account: str, key: str) -> None:
        self.id = merchant_id
        self.account = account
        self.key = key  # registered for redaction by whoever made it
        self.api = Client(url, key)

    def order(
        self, amount: int, description: str, expires_in: int = 7200, key: str | None = None
    ) -> dict:
        body = {"amount": amount, "description": description, "expires_in": expires_in}
        return self.api.post("/v1/orders", body, key=key)

    def micropay(
        self,
        auth_code: str,
        amount: int | None = None,
        order: str | None = None,
        description: str = "",
        key: str | None = None,
    ) -> dict:
        body: dict = {"auth_code": auth_code, "description": description}
        if amount is not None:
            body["amount"] = amount
        if order is not None:
            body["order"] = order
        return self.api.post("/v1/micropay", body, key=key)

    def charge(self, charge_id: str) -> dict:
        return self.api.get(f"/v1/charges/{charge_id}")

    def await_charge(self, charge_id: str, status: str, timeout: float = 10) -> dict:
        """Poll a charge until it reaches `status`, as a till polls WeChat's order query
        while the customer is paying; a timeout names the status it stayed in."""
        deadline = time.monotonic() + timeout
        while True:
            charge = self.charge(charge_id)
            if charge["status"] == status:
                return charge
            if time.monotonic() >= deadline:
                raise LabError(
                    f"charge {charge_id} stayed {charge['status']!r} for {timeout:g} s, "
                    f"never {status!r}"
                )
            time.sleep(0.1)

    def order_status(self, order_id: str) -> dict:
        return self.api.get(f"/v1/orders/{order_id}")

    def close_order(self, order_id: str) -> dict:
        """Close an unpaid order: it can never be paid after."""
        return self.api.post(f"/v1/orders/{order_id}/close")

    def refund(
        self, charge_id: str, amount: int | None = None, reason: str = "", key: str | None = None
    ) -> dict:
        body: dict = {"charge": charge_id, "reason": reason}
        if amount is not None:
            body["amount"] = amount
        return self.api.post("/v1/refunds", body, key=key)

    def nfc_authorize(self, amount: int, icc_data: bytes, description: str = "") -> dict:
        body = {"amount": amount, "icc_data": icc_data.hex(), "description": description}
        return self.api.post("/v1/nfc/authorize", body)

    def balance(self) -> int:
        return int(self.api.get(f"/v1/accounts/{self.account}")["balance"])


class PaymentSandbox:
    """The lab's view: provisioning, accounts, the books' audit, reply faults."""

    def __init__(self, url: str, key: str | None = None) -> None:
        self.url = url.rstrip("/")
        key = key or admin_key()
        register(key, "lab admin key")
        self.admin = Client(self.url, key)

    @classmethod
    def of(cls, inventory: Inventory) -> PaymentSandbox:
        service = inventory.farm.services.payment
        if service is None:
            raise LabError(
                f"no payment sandbox in {inventory.path} (farm.services.payment)",
                hint="declare it: `services: {payment: {url: http://127.0.0.1:8750}}`",
            )
        return cls(service.url)

    def merchant(self, name: str) -> Merchant:
        made = self.admin.post("/v1/admin/merchants", {"name": name})
        register(made["api_key"], "merchant key")
        return Merchant(self.url, made["id"], made["account"], made["api_key"])

    def wallet(
        self, device: str, pin: str, card_number: str, balance: int, pin_limit: int = 20000
    ) -> WalletAccess:
        register(pin, "PIN")
        register(card_number, "card number")
        body = {
            "device": device,
            "pin": pin,
            "card_number": card_number,
            "balance": balance,
            "pin_limit": pin_limit,
        }
        made = self.admin.post("/v1/admin/wallets", body)
        for secret, label in (
            (made["api_key"], "wallet key"),
            (made["code_secret"], "payment-code secret"),
            (made["card"]["token"], "payment token"),
            (made["card"]["icc_key"], "card key"),
        ):
            register(secret, label)
        return WalletAccess(
            id=made["id"],
            account=made["account"],
            number=made["number"],
            api_key=made["api_key"],
            code_secret=made["code_secret"],
            pin_limit=made["pin_limit"],
            card=Card(
                **{k: made["card"][k] for k in ("token", "psn", "expiry", "icc_key", "display")}
            ),
            url=self.url,
        )

    def close_order(self, order_id: str) -> dict:
        """Close any merchant's unpaid order, as if it had expired (the store's, say)."""
        return self.admin.post(f"/v1/orders/{order_id}/close")

    def top_up(self, wallet_id: str, amount: int) -> dict:
        return self.admin.post(f"/v1/admin/wallets/{wallet_id}/topup", {"amount": amount})

    def account(self, account_id: str, limit: int = 100) -> dict:
        return self.admin.get(f"/v1/accounts/{account_id}", limit=limit)

    def audit(self) -> dict:
        return self.admin.get("/v1/admin/audit")

    def replays(self, caller: str | None = None) -> int:
        """How many POSTs the sandbox answered from an earlier reply (retries) so far, of
        one caller (a wallet or merchant id) or of all."""
        stats = self.admin.get("/v1/admin/stats")
        if caller is None:
            return int(stats["replays"])
        return int(stats["replays_by_caller"].get(caller, 0))

    def hold_replies(
        self, path: str, seconds: float, count: int = 1, caller: str | None = None
    ) -> None:
        """Hold the replies to the next `count` POSTs to `path` (of `caller` only: tests
        sharing a sandbox never take each other's faults)."""
        body: dict = {"path": path, "seconds": seconds, "count": count}
        if caller is not None:
            body["caller"] = caller
        self.admin.post("/v1/admin/faults", body)

    def refuse_requests(
        self, path: str, status: int = 503, count: int = 1, caller: str | None = None
    ) -> None:
        """Answer the next `count` POSTs to `path` with `status`, their work not done."""
        body: dict = {"path": path, "refuse": status, "count": count}
        if caller is not None:
            body["caller"] = caller
        self.admin.post("/v1/admin/faults", body)

    def clear_faults(self, caller: str | None = None) -> None:
        path = "/v1/admin/faults" + (f"?caller={caller}" if caller else "")
        self.admin.delete(path)
