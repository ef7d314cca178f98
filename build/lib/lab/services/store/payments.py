"""The store is a merchant of the payment sandbox: a purchase is a payment order that the
device's wallet pays; a refund is the sandbox's refund of that charge. Calls go over HTTP
with Idempotency-Keys derived from the store's own request, so a retried store request
never makes a second order or refund. The merchant is made on first need and kept."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from lab.cloud.http import ApiRefused, ServiceUnreachable
from lab.cloud.payment import Merchant, PaymentSandbox
from lab.services import vault
from lab.services.errors import ApiError
from lab.services.store.models import Setting

MERCHANT_NAME = "TOS+ Store"


class PaymentLink:
    def __init__(self, url: str | None, admin_key_file: Path | None, db: sessionmaker[Session]):
        self.url = url
        self._admin_key_file = admin_key_file
        self._db = db
        self._merchant: Merchant | None = None
        self._lock = threading.Lock()

    def merchant(self) -> Merchant:
        with self._lock:
            if self._merchant is None:
                self._merchant = self._load_or_make()
            return self._merchant

    def _load_or_make(self) -> Merchant:
        if not self.url or not self._admin_key_file:
            raise ApiError(503, "payments_unavailable", "the store has no payment sandbox")
        with self._db() as session, session.begin():
            saved = {k: session.get(Setting, k) for k in ("merchant", "account", "merchant_key")}
            if all(saved.values()):
                values = {k: v.value for k, v in saved.items() if v}
                key = vault.of(session).open(values["merchant_key"], "merchant_key")
                return Merchant(self.url, values["merchant"], values["account"], key)
            admin = PaymentSandbox(self.url, self._admin_key_file.read_text().strip())
            made = self._call(lambda: admin.merchant(MERCHANT_NAME))
            sealed = vault.of(session).seal(made.key, "merchant_key")  # the store's key: sealed
            made_values = {"merchant": made.id, "account": made.account, "merchant_key": sealed}
            for key, value in made_values.items():
                session.merge(Setting(key=key, value=value))
            return made

    def order(self, amount: int, description: str, key: str) -> dict:
        merchant = self.merchant()
        return self._call(lambda: merchant.order(amount, description, expires_in=1800, key=key))

    def order_status(self, order_id: str) -> dict:
        """The order as the sandbox has it now (a GET: safe to repeat)."""
        merchant = self.merchant()
        return self._call(lambda: merchant.order_status(order_id))

    def refund(self, charge_id: str, key: str) -> dict:
        merchant = self.merchant()
        return self._call(lambda: merchant.refund(charge_id, reason="store refund", key=key))

    @staticmethod
    def _call(operation):
        try:
            return operation()
        except ServiceUnreachable as exc:
            raise ApiError(
                503, "payments_unavailable", f"the payment sandbox: {exc.message}"
            ) from None
        except ApiRefused as exc:
            raise ApiError(
                502,
                "payment_refused",
                f"the payment sandbox refused: {exc.message}",
                payment_code=exc.code,
            ) from None
