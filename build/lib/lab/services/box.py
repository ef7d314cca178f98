"""What every route of a service needs: its state (sessions, admin key, the one-writer
lock), the caller, and the idempotent run of a POST."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from lab.services import idempotency
from lab.services.db import readers
from lab.services.principal import Lookup, Principal, identify, require
from lab.services.vault import Vault


@dataclass
class ServiceBox:
    db: sessionmaker[Session]  # writes (on SQLite: BEGIN IMMEDIATE)
    reads: sessionmaker[Session]  # reads beside them
    admin_key: str
    lookups: dict[str, Lookup]  # the API key prefixes this service knows
    vault: Vault  # fingerprints and saved replies (vault.py)
    writer: AbstractContextManager = field(default_factory=contextlib.nullcontext)
    principals: dict[str, Principal] = field(default_factory=dict)  # by Authorization header
    # POSTs answered from an earlier reply (retries), per caller id, since start
    replays: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def sessions(engine, url: str, vault: Vault) -> dict:
        """db, reads and writer for an engine: on SQLite, writers queue on one lock here
        rather than in SQLite's busy handler, whose sleeps stretch every wait. Every
        session carries the vault (`vault.of(session)`), for the secrets it keeps."""
        info = {"vault": vault}
        return {
            "db": sessionmaker(engine, expire_on_commit=False, info=info),
            "reads": sessionmaker(readers(engine), expire_on_commit=False, info=info),
            "writer": threading.Lock() if url.startswith("sqlite") else contextlib.nullcontext(),
            "vault": vault,
        }


def box(request: Request) -> ServiceBox:
    return request.app.state.box


T = TypeVar("T")


def write(request: Request, work: Callable[[Session], T], attempts: int = 3) -> T:
    """`work` in a transaction of its own (one writer at a time on SQLite), for a route
    that writes its intent before it calls another service. An ApiError rolls it back
    (a refused request changes nothing); a unique constraint that a concurrent writer's
    row broke (PostgreSQL) runs it again, to find that row."""
    state = box(request)
    for attempt in range(attempts):
        try:
            with state.writer, state.db() as session, session.begin():
                return work(session)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


async def caller(request: Request, authorization: str | None = Header(None)) -> Principal:
    """Who is asking. Keys are never changed nor revoked once issued, so a key known once
    stays known: kept in memory, most requests skip the database and the thread hop."""
    state = box(request)
    known = state.principals.get(authorization or "")
    if known is not None:
        return known

    def look_up() -> Principal:
        with state.reads() as session:
            return identify(session, authorization, state.admin_key, state.lookups)

    principal = await run_in_threadpool(look_up)
    state.principals[authorization or ""] = principal
    return principal


def _fingerprint(request: Request, body: BaseModel | None, data: dict | None) -> str:
    if data is None:
        data = body.model_dump(mode="json") if body is not None else {}
    return box(request).vault.fingerprint(request.method, request.url.path, data)


def _counted(request: Request, principal: Principal, response: JSONResponse) -> JSONResponse:
    if response.headers.get("Idempotent-Replayed"):
        replays = box(request).replays
        replays[principal.id] = replays.get(principal.id, 0) + 1
    return response


def post(
    request: Request,
    principal: Principal,
    body: BaseModel | None,
    key: str | None,
    operation: Callable[[Session], tuple[int, dict]],
    *kinds: str,
    data: dict | None = None,
) -> JSONResponse:
    """Run a POST's operation once per Idempotency-Key, for callers of `kinds`. `data` is
    what fingerprints the request when it has no JSON body (an upload's digest)."""
    require(principal, *kinds)
    state = box(request)
    response = idempotency.run(
        state.db,
        operation,
        key=key,
        scope=principal.scope,
        print_=_fingerprint(request, body, data),
        vault=state.vault,
        writer=state.writer,
    )
    return _counted(request, principal, response)


def replayed(
    request: Request,
    principal: Principal,
    body: BaseModel | None,
    key: str | None,
    data: dict | None = None,
) -> JSONResponse | None:
    """The saved reply when this POST was answered before (a retry), else None: for a
    route that acts on another service before its own transaction, so that a retry never
    acts twice (the store's purchases)."""
    state = box(request)
    print_ = _fingerprint(request, body, data)
    found = idempotency.saved_reply(state.reads, key, principal.scope, print_, state.vault)
    return _counted(request, principal, found) if found is not None else None


def idempotency_key(
    key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", description="Stripe's semantics; a UUID is usual"),
    ] = None,
) -> str | None:
    """Checked before the route runs: a bad key is refused before anything is done."""
    idempotency.check_key(key)
    return key


Caller = Annotated[Principal, Depends(caller)]
IdemKey = Annotated[str | None, Depends(idempotency_key)]
