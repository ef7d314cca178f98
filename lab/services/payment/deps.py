"""What every route needs: the sandbox (its sessions), the caller, and the idempotent run
of a POST."""

from __future__ import annotations

import contextlib
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
from lab.services.payment.events import Hub
from lab.services.payment.principals import Principal, identify, require


@dataclass
class Sandbox:
    db: sessionmaker[Session]  # writes (on SQLite: BEGIN IMMEDIATE)
    reads: sessionmaker[Session]  # reads beside them
    hub: Hub
    admin_key: str
    writer: AbstractContextManager = field(default_factory=contextlib.nullcontext)
    principals: dict[str, Principal] = field(default_factory=dict)  # by Authorization header
    held: list = field(default_factory=list)  # reply faults (faults.py)
    # POSTs answered from an earlier reply (retries), per caller id, since start
    replays: dict[str, int] = field(default_factory=dict)


def sandbox(request: Request) -> Sandbox:
    return request.app.state.sandbox


async def caller(request: Request, authorization: str | None = Header(None)) -> Principal:
    """Who is asking. Keys are never changed nor revoked once issued, so a key known once
    stays known: kept in memory, most requests skip the database and the thread hop."""
    box = sandbox(request)
    known = box.principals.get(authorization or "")
    if known is not None:
        return known

    def look_up() -> Principal:
        with box.reads() as session:
            return identify(session, authorization, box.admin_key)

    principal = await run_in_threadpool(look_up)
    box.principals[authorization or ""] = principal
    return principal


def post(
    request: Request,
    principal: Principal,
    body: BaseModel | None,
    key: str | None,
    operation: Callable[[Session], tuple[int, dict]],
    *kinds: str,
) -> JSONResponse:
    """Run a POST's operation once per Idempotency-Key, for callers of `kinds`."""
    require(principal, *kinds)
    data = body.model_dump(mode="json") if body is not None else {}
    print_ = idempotency.fingerprint(request.method, request.url.path, data)
    box = sandbox(request)
    response = idempotency.run(
        box.db, operation, key=key, scope=principal.scope, print_=print_, writer=box.writer
    )
    if response.headers.get("Idempotent-Replayed"):
        box.replays[principal.id] = box.replays.get(principal.id, 0) + 1
    return response


Caller = Annotated[Principal, Depends(caller)]
IdemKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="Stripe's semantics; a UUID is usual"),
]
