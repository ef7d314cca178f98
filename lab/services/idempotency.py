"""Idempotency-Key on every POST, with Stripe's semantics: the same key and body replay the
first response (an error too); the same key with another body is refused; two concurrent
requests with one key execute once; a request that fails validation saves nothing; keys
are kept at least 24 h.

The operation, its key and its response are written in one transaction, so a response is
saved exactly when its effects are. SQLite takes its write lock at BEGIN (see db.py): a
second request with the key waits, then replays. Elsewhere (PostgreSQL) both may run; the
loser's key insert violates the primary key, it rolls back and replays the winner's.
"""

from __future__ import annotations

import contextlib
import hashlib
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

log = logging.getLogger("idempotency")
KEEP_SECONDS = 48 * 3600  # Stripe promises 24 h; keep twice that
MAX_KEY = 255

Outcome = tuple[int, dict]  # HTTP status and JSON body
Operation = Callable[[Session], Outcome]


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    scope: Mapped[str] = mapped_column(String(64), primary_key=True)  # who sent it
    key: Mapped[str] = mapped_column(String(MAX_KEY), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created: Mapped[float] = mapped_column(Float, index=True)


def fingerprint(method: str, path: str, body: object) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


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
                return _once(db, operation, key, scope, print_)
        except IntegrityError:
            if key is None:
                raise
            continue  # a concurrent request with this key won: replay its response
    raise ApiError(409, "idempotency_conflict", "a request with this Idempotency-Key is in flight")


def _once(
    db: sessionmaker[Session], operation: Operation, key: str | None, scope: str, print_: str
) -> JSONResponse:
    with db() as session, session.begin():
        if key is not None:
            saved = session.get(IdempotencyKey, (scope, key))
            if saved is not None:
                return _replay(saved, print_)
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
                    body=json.dumps(body),
                    created=time.time(),
                )
            )
    return JSONResponse(body, status_code=status)


def _replay(saved: IdempotencyKey, print_: str) -> JSONResponse:
    if saved.fingerprint != print_:
        raise ApiError(
            422,
            "idempotency_key_reused",
            "Idempotency-Key: this key was used with other parameters; use a new key for a "
            "new request",
            param="Idempotency-Key",
        )
    return JSONResponse(
        json.loads(saved.body), status_code=saved.status, headers={"Idempotent-Replayed": "true"}
    )


def prune(db: sessionmaker[Session], now: float | None = None) -> int:
    with db() as session, session.begin():
        cutoff = (now or time.time()) - KEEP_SECONDS
        result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.created < cutoff))
        return result.rowcount or 0
