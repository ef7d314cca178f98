"""What the lab sets up: developers (with their key), customer accounts, and devices of
an account (class, features, API level; the key its store app uses), keys shown once."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from lab.services.db import LOCK, new_id
from lab.services.errors import ApiError
from lab.services.keys import key_hash, new_key
from lab.services.store.models import Developer, StoreAccount, StoreDevice
from lab.services.store.schemas import AccountIn, DeveloperIn, DeviceIn


def create_developer(session: Session, body: DeveloperIn) -> tuple[int, dict]:
    key = new_key("dk_test")
    row = Developer(id=new_id("dev"), name=body.name, key_hash=key_hash(key))
    session.add(row)
    return 201, {"id": row.id, "object": "developer", "name": row.name, "api_key": key}


def create_account(session: Session, body: AccountIn) -> tuple[int, dict]:
    row = StoreAccount(id=new_id("acc"), name=body.name)
    session.add(row)
    return 201, {"id": row.id, "object": "account", "name": row.name}


def register_device(session: Session, body: DeviceIn) -> tuple[int, dict]:
    """A device joins an account; registering it again (a re-provisioned device) gives it a
    new key and its current class, features and API level."""
    if session.get(StoreAccount, body.account) is None:
        raise ApiError(
            404, "resource_missing", f"account: no account {body.account}", param="account"
        )
    key = new_key("dv_test")
    row = session.get(StoreDevice, body.id, with_for_update=LOCK)
    if row is None:
        row = StoreDevice(id=body.id)
        session.add(row)
    row.account_id, row.device_class, row.sdk = body.account, body.device_class, body.sdk
    row.features, row.key_hash = json.dumps(sorted(set(body.features))), key_hash(key)
    return 201, {"id": row.id, "object": "device", "account": row.account_id, "api_key": key}
