"""Who may call the payment sandbox: a merchant (API key `sk_test_...`), a device's
wallet (`wk_test_...`, provisioned by the lab) or the lab itself (the admin key
`lab services up` made)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lab.services.payment.models import Merchant, Wallet
from lab.services.principal import Lookup, Principal


def _merchant(session: Session, digest: str) -> Principal | None:
    found = session.scalars(select(Merchant).where(Merchant.key_hash == digest)).first()
    return Principal("merchant", found.id, found.account_id) if found else None


def _wallet(session: Session, digest: str) -> Principal | None:
    found = session.scalars(select(Wallet).where(Wallet.key_hash == digest)).first()
    return Principal("wallet", found.id, found.account_id) if found else None


LOOKUPS: dict[str, Lookup] = {"sk_": _merchant, "wk_": _wallet}
