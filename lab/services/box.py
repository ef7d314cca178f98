"""What every route of a service needs: its state (sessions, admin key, the one-writer
lock), the caller, and the idempotent run of a POST."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from lab.services import idempotency
from lab.services.db import readers
from lab.services.principal import Lookup, Principal, identify, require


@dataclass
class ServiceBox:
    db: sessionmaker[Session]  # writes (on SQLite: BEGIN IMMEDIATE)
    reads: sessionmaker[Session]  # reads beside them
    admin_key: str
    lookups: dict[str, Lookup]  # the API key prefixes this service knows
    writer: AbstractContextManager = field(default_factory=contextlib.nullcontext)
    principals: dict[str, Principal] = field(default_factory=dict)  # by Authorization header
    # POSTs answered from an earlier reply (retries), per caller id, since start
    replays: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def sessions(engine, url: str) -> dict:
        """db, reads and writer for an engine: on SQLite, writers queue on one lock here
        rather than in SQLite's busy handler, whose sleeps stretch every wait."""
        return {
            "db": sessionmaker(engine, expire_on_commit=False),
            "reads": sessionmaker(readers(engine), expire_on_commit=False),
            "writer": threading.Lock() if url.startswith("sqlite") else contextlib.nullcontext(),
        }


def box(request: Request) -> ServiceBox:
    return request.app.state.box


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
    if data is None:
        data = body.model_dump(mode="json") if body is not None else {}
    print_ = idempotency.fingerprint(request.method, request.url.path, data)
    state = box(request)
    response = idempotency.run(
        state.db, operation, key=key, scope=principal.scope, print_=print_, writer=state.writer
    )
    if response.headers.get("Idempotent-Replayed"):
        state.replays[principal.id] = state.replays.get(principal.id, 0) + 1
    return response


Caller = Annotated[Principal, Depends(caller)]
IdemKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="Stripe's semantics; a UUID is usual"),
]
