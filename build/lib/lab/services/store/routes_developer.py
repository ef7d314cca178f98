"""A developer's calls: apps, uploaded versions, monthly statements (JSON or CSV)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import select

from lab.services.box import Caller, IdemKey, box, post
from lab.services.errors import ApiError
from lab.services.principal import require
from lab.services.store import revenue, uploads
from lab.services.store.catalog import versions
from lab.services.store.models import App
from lab.services.store.schemas import AppIn

router = APIRouter(prefix="/v1/developer", tags=["developer"])
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _create_app(session, who, body: AppIn):
    if session.get(App, body.package) is not None:
        raise ApiError(
            409, "package_taken", f"package: {body.package} exists already", param="package"
        )
    app = App(package=body.package, developer_id=who.id, title=body.title,
              description=body.description, price=body.price)  # fmt: skip
    session.add(app)
    return 201, _app_view(app, [])


def _app_view(app: App, found: list) -> dict:
    return {
        "package": app.package,
        "object": "app",
        "title": app.title,
        "price": app.price,
        "signer": app.signer or None,
        "versions": [uploads.version_view(v) for v in found],
    }


@router.post("/apps", status_code=201, summary="A new app (its package name, title, price in fen)")
def create_app(body: AppIn, request: Request, who: Caller, key: IdemKey) -> JSONResponse:
    return post(request, who, body, key, lambda s: _create_app(s, who, body), "developer")


@router.get("/apps", summary="Your apps and their versions")
def my_apps(request: Request, who: Caller) -> dict:
    require(who, "developer")
    with box(request).reads() as session:
        apps = session.scalars(select(App).where(App.developer_id == who.id).order_by(App.package))
        return {"data": [_app_view(app, versions(session, app.package)) for app in apps]}


@router.post(
    "/apps/{package}/versions",
    status_code=201,
    summary="Upload a version: the body is the signed APK",
)
async def upload_version(package: str, request: Request, who: Caller, key: IdemKey) -> JSONResponse:
    require(who, "developer")  # before a byte of the body is read
    state = box(request)
    staged, digest = await uploads.stage(request.stream(), state.blobs)
    try:
        upload = await run_in_threadpool(uploads.receive, staged, digest)

        def add() -> JSONResponse:
            return post(
                request, who, None, key,
                lambda s: uploads.add_version(s, who, package, upload), "developer",
                data={"package": package, "sha256": upload.sha256},
            )  # fmt: skip

        return await run_in_threadpool(uploads.keep, state.reads, state.blobs, upload, add)
    finally:
        staged.unlink(missing_ok=True)


@router.get("/statements/{month}", summary="A month's sales, refunds and shares (JSON or CSV)")
def statement(
    month: str,
    request: Request,
    who: Caller,
    format: str = Query("json", pattern="^(json|csv)$"),
    developer: str | None = Query(None, description="the lab (admin key) names the developer"),
):
    require(who, "developer", "admin")
    if not _MONTH.match(month):
        raise ApiError(
            400, "parameter_invalid", f"month: expected YYYY-MM, found {month!r}", param="month"
        )
    if who.kind == "admin" and not developer:
        raise ApiError(
            400, "parameter_invalid", "developer: required with the admin key", param="developer"
        )
    with box(request).reads() as session:
        report = revenue.statement(session, developer if who.kind == "admin" else who.id, month)
    if format == "csv":
        disposition = f'attachment; filename="statement-{month}.csv"'
        return PlainTextResponse(
            revenue.statement_csv(report),
            media_type="text/csv",
            headers={"Content-Disposition": disposition},
        )
    return report
