"""A device's calls (its store app): the catalogue that fits it, details, download,
purchases paid from its wallet, refunds and what its account owns."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy import select

from lab.services.box import Caller, IdemKey, box, post, replayed, write
from lab.services.errors import ApiError
from lab.services.principal import require
from lab.services.store import catalog, purchases, revenue
from lab.services.store.models import App, Entitlement, Version
from lab.services.store.schemas import PurchaseIn
from lab.services.store.throttle import throttled_file

router = APIRouter(prefix="/v1", tags=["device"])
APK_TYPE = "application/vnd.android.package-archive"


@router.get("/catalog", summary="The apps that fit this device (search with q)")
def catalogue(request: Request, who: Caller, q: str = Query("", max_length=64)) -> dict:
    require(who, "device")
    with box(request).reads() as session:
        return {"data": catalog.listing(session, catalog.device_of(session, who.id), q)}


@router.get("/apps/{package}", summary="An app: its newest version that fits this device")
def app_details(package: str, request: Request, who: Caller) -> dict:
    require(who, "device")
    with box(request).reads() as session:
        return catalog.details(session, catalog.device_of(session, who.id), package)


@router.get("/apps/{package}/apk", summary="Download a version's APK (Range requests resume)")
def download(package: str, request: Request, who: Caller, version_code: int = Query(..., ge=1)):
    require(who, "device")
    state = box(request)
    with state.reads() as session:
        device = catalog.device_of(session, who.id)
        app = session.get(App, package)
        version = session.scalars(
            select(Version).where(Version.package == package, Version.version_code == version_code)
        ).first()
        if app is None or version is None:
            raise ApiError(
                404,
                "resource_missing",
                f"no version {version_code} of {package}",
                param="version_code",
            )
        why = catalog.unfit(version, device)
        if why:
            raise ApiError(
                409,
                "not_compatible",
                f"not compatible with this device: {why}",
                param="version_code",
            )
        if not catalog.owned(session, device, app):
            raise ApiError(
                402, "not_owned", f"buy {package} before downloading it", param="package"
            )
    path = state.blobs / f"{version.sha256}.apk"
    rate = state.download_rates.get(who.id) or state.download_rates.get("*")
    if rate:
        return throttled_file(path, request.headers.get("range"), rate, APK_TYPE,
                              {"ETag": f'"{version.sha256}"'})  # fmt: skip
    return FileResponse(path, media_type=APK_TYPE, filename=f"{package}-{version_code}.apk",
                        headers={"ETag": f'"{version.sha256}"'})  # fmt: skip


@router.post("/purchases", status_code=201, summary="Buy an app: a payment order for the wallet")
def buy(body: PurchaseIn, request: Request, who: Caller, key: IdemKey) -> JSONResponse:
    """The purchase is written first (pending), then its one order is asked for under a
    key derived from it: devices of one account buying at once, and retries, all meet on
    one purchase and one order. A purchase whose order closed unpaid ends (`expired`) and
    a new one begins."""
    require(who, "device")
    earlier = replayed(request, who, body, key)
    if earlier is not None:
        return earlier
    state = box(request)
    for _ in range(2):
        purchase, made = write(request, lambda s: purchases.intent(s, who, body.package))
        if purchase.order_id:
            order = state.payments.order_status(purchase.order_id)
        else:
            app = _app(request, purchase.package)
            description = f"TOS+ Store: {app.title}"
            key_ = purchases.order_key(purchase)
            order = state.payments.order(purchase.price, description, key_)
        if order.get("status") != "closed":
            break
        write(request, lambda s, p=purchase, o=order: purchases.expire(s, p.id, o["id"]))
    operation = lambda s: purchases.ordered(s, purchase.id, order, made)  # noqa: E731
    return post(request, who, body, key, operation, "device")


def _app(request: Request, package: str) -> App:
    with box(request).reads() as session:
        app = session.get(App, package)
        assert app is not None  # an app is never deleted
        return app


@router.get("/purchases/{purchase_id}", summary="A purchase")
def get_purchase(purchase_id: str, request: Request, who: Caller) -> dict:
    require(who, "device", "admin")
    with box(request).reads() as session:
        purchase = purchases.mine(session, who, purchase_id)
        shown = purchases.view(purchase)
        if who.kind == "admin":  # the lab checks the books entry by entry
            shown["revenue"] = revenue.entries_of(session, purchase.id)
        return shown


@router.post("/purchases/{purchase_id}/complete", summary="After the wallet paid: grant the app")
def complete(purchase_id: str, request: Request, who: Caller, key: IdemKey) -> JSONResponse:
    require(who, "device", "admin")
    state = box(request)
    with state.reads() as session:
        purchase = purchases.mine(session, who, purchase_id)
    asks = purchase.status == "pending" and purchase.order_id
    order = state.payments.order_status(purchase.order_id) if asks else None
    operation = lambda s: purchases.complete(s, who, purchase_id, order)  # noqa: E731
    return post(request, who, None, key, operation, "device", "admin")


@router.post(
    "/purchases/{purchase_id}/refund", summary="Refund within the window: the app is revoked"
)
def refund(purchase_id: str, request: Request, who: Caller, key: IdemKey) -> JSONResponse:
    """Written first (refunding), then the money asked back from the sandbox, then
    finished. A refusal by the sandbox puts the purchase back as it was; a sandbox that
    did not answer leaves it refunding, and the next attempt finishes it under the same
    key (so the money comes back once)."""
    require(who, "device", "admin")
    earlier = replayed(request, who, None, key)
    if earlier is not None:
        return earlier
    state = box(request)
    purchase = write(request, lambda s: purchases.start_refund(s, who, purchase_id))
    if purchase.status == "refunding":
        try:
            state.payments.refund(purchase.charge_id, key=purchases.refund_key(purchase))
        except ApiError as exc:
            if exc.extra.get("payment_code") == "idempotency_conflict":
                raise ApiError(
                    409,
                    "refund_in_progress",
                    f"purchase {purchase_id}: another request is refunding it; ask again",
                    param="purchase",
                ) from None
            if exc.status == 502:  # refused: no money moved
                write(request, lambda s: purchases.refund_refused(s, purchase_id))
            raise
    operation = lambda s: purchases.refund(s, who, purchase_id)  # noqa: E731
    return post(request, who, None, key, operation, "device", "admin")


@router.get("/entitlements", summary="The paid apps this device's account owns")
def entitlements(request: Request, who: Caller) -> dict:
    require(who, "device")
    with box(request).reads() as session:
        rows = session.scalars(select(Entitlement).where(Entitlement.account_id == who.account_id))
        return {
            "data": [
                {"package": e.package, "purchase": e.purchase_id, "granted": e.granted}
                for e in rows
            ]
        }
