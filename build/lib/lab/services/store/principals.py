"""Who may call the store: a developer (`dk_test_...`), a device (`dv_test_...`, the key
the lab provisions when it configures the device's store app) or the lab (admin key)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lab.services.principal import Lookup, Principal
from lab.services.store.models import Developer, StoreDevice


def _developer(session: Session, digest: str) -> Principal | None:
    found = session.scalars(select(Developer).where(Developer.key_hash == digest)).first()
    return Principal("developer", found.id) if found else None


def _device(session: Session, digest: str) -> Principal | None:
    found = session.scalars(select(StoreDevice).where(StoreDevice.key_hash == digest)).first()
    return Principal("device", found.id, found.account_id) if found else None


LOOKUPS: dict[str, Lookup] = {"dk_": _developer, "dv_": _device}
