"""The dashboard's HTTP side: the page, the farm as JSON, a server-sent event stream that
pushes the farm whenever it changes (the books are read every POLL seconds), thumbnails,
and quarantine/release behind a bearer token. No front-end build step: one HTML file.

Served beyond loopback, every read needs the token too (the device list, the thumbnails,
which may show a payment code, the event stream): the page trades the token once for a
session cookie (HttpOnly, SameSite=Strict), since a browser's EventSource and <img> send
no Authorization header. The cookie is an HMAC of the token, not the token, and allows
reads only: quarantine and release still need the bearer token itself."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import AsyncIterator
from importlib.resources import files
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, Field

from lab.errors import LabError
from lab.farm.books import Books
from lab.farm.dashboard.snapshot import farm_snapshot
from lab.farm.dashboard.thumbnails import Thumbnails
from lab.farm.health import Health, HealthRecord
from lab.farm.remote import with_exported
from lab.inventory import Inventory
from lab.web.body_limit import BodyLimit

POLL = 0.2  # seconds between reads of the books: a change reaches the page well within 1 s
KEEPALIVE = 15.0


COOKIE = "lab_farm_session"


def _refused(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 naming the field and what was wrong, never the value sent (it may be the
    token, sent where it did not belong)."""
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
    return JSONResponse({"detail": f"{field}: {first.get('msg', 'invalid')}"}, status_code=422)


class Login(BaseModel):
    token: Annotated[str, Field(min_length=1, max_length=200)]


class Quarantine(BaseModel):
    why: Annotated[str, Field(min_length=1, max_length=500)]
    retire: bool = False


def create_app(
    inventory: Inventory,
    store: Books,
    token: str,
    thumbnails: Thumbnails | None,
    open_reads: bool = True,
) -> FastAPI:
    """`open_reads`: reads need no token (served on loopback only)."""
    app = FastAPI(title="TOS+ farm", docs_url=None, redoc_url=None)
    app.add_middleware(BodyLimit, default=16 << 10)  # before the token is checked
    app.add_exception_handler(RequestValidationError, _refused)  # type: ignore[arg-type]
    page = files("lab.farm.dashboard").joinpath("page.html").read_text()
    session = hmac.new(token.encode(), b"tos-lab dashboard session", hashlib.sha256).hexdigest()

    def reader(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
        """Reads are open on loopback; beyond it they need the token or its session."""
        if open_reads:
            return
        given = (authorization or "").removeprefix("Bearer ").strip()
        if given and hmac.compare_digest(given.encode(), token.encode()):
            return
        cookie = request.cookies.get(COOKIE, "")
        if not (cookie and hmac.compare_digest(cookie.encode(), session.encode())):
            raise HTTPException(401, "a valid token is needed (Authorization: Bearer ...)")

    Reader = Depends(reader)

    def snapshot() -> dict:
        return farm_snapshot(inventory, store, thumbnails.taken if thumbnails else {})

    def authorized(authorization: str | None) -> None:
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "a valid token is needed (Authorization: Bearer ...)")

    def known(device_id: str) -> None:
        if device_id not in {d.id for d in with_exported(inventory, store).devices}:
            raise HTTPException(404, f"device_id: no device {device_id!r} in the inventory")

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return page

    @app.post("/api/session", status_code=204)
    def login(body: Login) -> Response:
        """The token, traded for a read-only session cookie (the page's EventSource)."""
        if not hmac.compare_digest(body.token.encode(), token.encode()):
            raise HTTPException(401, "token: not this dashboard's token")
        answer = Response(status_code=204)
        answer.set_cookie(COOKIE, session, httponly=True, samesite="strict")
        return answer

    @app.get("/api/farm", dependencies=[Reader])
    def farm() -> dict:
        try:
            return snapshot()
        except LabError as exc:
            raise HTTPException(503, exc.message) from None

    @app.get("/api/events", response_class=EventSourceResponse, dependencies=[Reader])
    async def events() -> AsyncIterator[ServerSentEvent]:
        last, quiet = None, 0.0
        while True:
            try:
                now = await run_in_threadpool(snapshot)
            except LabError as exc:
                now = {"error": exc.message}
            if now != last:
                last, quiet = now, 0.0
                yield ServerSentEvent(data=now, event="farm")
            elif quiet >= KEEPALIVE:
                quiet = 0.0
                yield ServerSentEvent(comment="keepalive")
            await asyncio.sleep(POLL)
            quiet += POLL

    @app.get("/api/devices/{device_id}/thumbnail.png", dependencies=[Reader])
    def thumbnail(device_id: str) -> Response:
        known(device_id)
        image = thumbnails.images.get(device_id) if thumbnails else None
        if image is None:
            raise HTTPException(404, f"device_id: no thumbnail of {device_id} yet")
        return Response(image, media_type="image/png", headers={"Cache-Control": "no-store"})

    @app.post("/api/devices/{device_id}/quarantine")
    def quarantine(
        device_id: str, body: Quarantine, authorization: Annotated[str | None, Header()] = None
    ) -> dict:
        authorized(authorization)
        known(device_id)
        state = Health.RETIRED if body.retire else Health.MAINTENANCE
        record = HealthRecord(device_id, state, body.why.strip(), "dashboard")
        store.set_health(record)
        return record.as_json()

    @app.post("/api/devices/{device_id}/release")
    def release(device_id: str, authorization: Annotated[str | None, Header()] = None) -> dict:
        authorized(authorization)
        known(device_id)
        before = store.health(device_id)
        record = HealthRecord(device_id, Health.UNKNOWN, f"released from {before.state.value}",
                              "dashboard")  # fmt: skip
        store.set_health(record)
        return record.as_json()

    return app
