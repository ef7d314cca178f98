"""Who is asking: a merchant (API key `sk_test_...`), a device's wallet (`wk_test_...`,
provisioned by the lab) or the lab itself (the admin key `lab services up` made). Keys
travel as `Authorization: Bearer KEY` and are kept only as hashes."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lab.services.errors import ApiError
from lab.services.keys import key_hash
from lab.services.payment.models import Merchant, Wallet


@dataclass(frozen=True)
class Principal:
    kind: str  # merchant | wallet | admin
    id: str
    account_id: str = ""

    @property
    def scope(self) -> str:
        """The idempotency keys' namespace: one caller's keys never meet another's."""
        return f"{self.kind}:{self.id}"


def bearer(header: str | None) -> str:
    if not header or not header.startswith("Bearer ") or len(header) < 12:
        raise ApiError(
            401,
            "authentication_required",
            "Authorization: expected `Bearer <API key>` (a merchant's sk_test_..., a wallet's "
            "wk_test_... or the lab's admin key)",
            param="Authorization",
        )
    return header[7:].strip()


def identify(session: Session, header: str | None, admin_key: str) -> Principal:
    key = bearer(header)
    if hmac.compare_digest(key.encode(), admin_key.encode()):
        return Principal("admin", "lab")
    digest = key_hash(key)
    if key.startswith("sk_"):
        merchant = session.scalars(select(Merchant).where(Merchant.key_hash == digest)).first()
        if merchant:
            return Principal("merchant", merchant.id, merchant.account_id)
    elif key.startswith("wk_"):
        wallet = session.scalars(select(Wallet).where(Wallet.key_hash == digest)).first()
        if wallet:
            return Principal("wallet", wallet.id, wallet.account_id)
    raise ApiError(401, "invalid_api_key", "Authorization: this API key is not known here")


def require(principal: Principal, *kinds: str) -> None:
    if principal.kind not in kinds:
        raise ApiError(
            403,
            "forbidden",
            f"this call is for {' or '.join(kinds)} keys; it was made with a {principal.kind} key",
        )
