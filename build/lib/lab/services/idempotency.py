"""Idempotency-Key on every POST, with Stripe's semantics: the same key and body replay the
first response (an error too); the same key with another body is refused; two concurrent
requests with one key execute once; a request that fails validation saves nothing; keys
are kept at least 24 h.

The operation, its key and its response are written in one transaction, so a response is
saved exactly when its effects are. SQLite takes its write lock at BEGIN (see db.py): a
second request with the key waits, then replays. Elsewhere (PostgreSQL) both may run; the
loser's key insert violates the primary key, it rolls back and replays the winner's.

Nothing secret rests here in the clear: the fingerprint is an HMAC under the service's
secret and the saved reply is sealed with it (vault.py).
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

from fastapi.responses import JSONResponse
from sqlalchemy import Float, Integer, String, Text, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from lab.services.db import Base
from lab.services.errors import ApiError
from lab.services.vault import SealBroken, Vault

log = logging.getLogger("idempotency")
KEEP_SECONDS = 48 * 3600  # Stripe promises 24 h; keep twice that
MAX_KEY = 255

Outcome = tuple[int, dict]  # HTTP status and JSON body
Operation = Callable[[Session], Outcome]


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    # who sent it: a principal's kind and id (a device id has up to 64 characters)
    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    key: Mapped[str] = mapped_column(String(MAX_KEY), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 (vault.py)
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)  # sealed (vault.py)
    created: Mapped[float] = mapped_column(Float, index=True)


def check_key(key: str | None) -> None:
    if key is None:
        return
    if not 1 <= len(key) <= MAX_KEY or not key.isprintable():
        raise ApiError(
            400,
            "parameter_invalid",
            f"Idempotency-Key: expected 1-{MAX_KEY} printable characters (a UUID is usual)",
            param="Idempotency-Key",
        )


def run(
    db: sessionmaker[Session],
    operation: Operation,
    *,
    key: str | None,
    scope: str,
    print_: str,
    vault: Vault,
    writer: AbstractContextManager | None = None,
) -> JSONResponse:
    """Run `operation` in a transaction (an ApiError rolls its effects back and becomes the
    response); with a key, at most once per (scope, key). `writer` is held around the
    transaction (SQLite: one writer at a time, queued here instead of in SQLite's busy
    handler, whose sleeps would stretch every wait to milliseconds)."""
    check_key(key)
    for _ in range(3):
        try:
            with writer or contextlib.nullcontext():
                return _once(db, operation, key, scope, print_, vault)
        except IntegrityError:
            if key is None:
                raise
            continue  # a concurrent request with this key won: replay its response
    raise ApiError(409, "idempotency_conflict", "a request with this Idempotency-Key is in flight")


def _once(
    db: sessionmaker[Session],
    operation: Operation,
    key: str | None,
    scope: str,
    print_: str,
    vault: Vault,
) -> JSONResponse:
    with db() as session, session.begin():
        if key is not None:
            saved = session.get(IdempotencyKey, (scope, key))
            if saved is not None:
                return _replay(saved, print_, vault)
        savepoint = session.begin_nested()
        try:
            status, body = operation(session)
            savepoint.commit()
        except ApiError as exc:
            savepoint.rollback()  # a rejected request changes nothing
            status, body = exc.status, exc.body()
        except Exception:
            savepoint.rollback()
            log.exception("operation failed (%s)", scope)
            status = 500
            body = ApiError(500, "internal", "the service failed; its log has the details").body()
        if key is not None:
            session.add(
                IdempotencyKey(
                    scope=scope,
                    key=key,
                    fingerprint=print_,
                    status=status,
                    body=vault.seal(json.dumps(body), _bound(scope, key)),
                    created=time.time(),
                )
            )
    return JSONResponse(body, status_code=status)


def saved_reply(
    db: sessionmaker[Session], key: str | None, scope: str, print_: str, vault: Vault
) -> JSONResponse | None:
    """The saved reply to (scope, key), for a route that must know before it acts on
    another service (the store's purchases); None when there is none yet."""
    if key is None:
        return None
    with db() as session:
        saved = session.get(IdempotencyKey, (scope, key))
        return _replay(saved, print_, vault) if saved is not None else None


def _bound(scope: str, key: str) -> str:
    return f"{scope}\n{key}"


def _replay(saved: IdempotencyKey, print_: str, vault: Vault) -> JSONResponse:
    if saved.fingerprint != print_:
        raise ApiError(
            422,
            "idempotency_key_reused",
            "Idempotency-Key: this key was used with other parameters; use a new key for a "
            "new request",
            param="Idempotency-Key",
        )
    try:
        body = json.loads(vault.open(saved.body, _bound(saved.scope, saved.key)))
    except SealBroken:
        raise ApiError(
            409,
            "idempotency_reply_unreadable",
            "Idempotency-Key: the saved reply to this key cannot be read (the service's "
            "secret changed since); use a new key",
            param="Idempotency-Key",
        ) from None
    return JSONResponse(body, status_code=saved.status, headers={"Idempotent-Replayed": "true"})


def prune(db: sessionmaker[Session], now: float | None = None) -> int:
    with db() as session, session.begin():
        cutoff = (now or time.time()) - KEEP_SECONDS
        result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.created < cutoff))
        return result.rowcount or 0
