"""Buying a paid app: a purchase is pending until the payment order it made is paid from
the device's wallet; completing it grants the account an entitlement (every device of
the account may install the app) and books the sale. A refund within the window returns
the money, revokes the entitlement and reverses the sale's revenue exactly."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lab.services.db import new_id, now
from lab.services.errors import ApiError
from lab.services.principal import Principal
from lab.services.store import revenue
from lab.services.store.catalog import best, device_of
from lab.services.store.models import App, Entitlement, Purchase

REFUND_WINDOW = 48 * 3600  # seconds after payment (Google Play's own window for a refund)


def buyable(session: Session, device: Principal, package: str) -> tuple[App, Purchase | None]:
    """The app, and a pending purchase of it to reuse; refused if free, unfit or owned."""
    app = session.get(App, package)
    if app is None:
        raise ApiError(404, "resource_missing", f"no app {package}", param="package")
    if app.price == 0:
        raise ApiError(
            400, "app_is_free", f"package: {package} is free; install it", param="package"
        )
    version, why = best(session, package, device_of(session, device.id))
    if version is None:
        raise ApiError(
            409,
            "not_compatible",
            f"package: not compatible with this device: {why}",
            param="package",
        )
    if session.get(Entitlement, (device.account_id, package)) is not None:
        raise ApiError(
            409, "already_owned", f"package: your account owns {package} already", param="package"
        )
    pending = session.scalars(
        select(Purchase).where(
            Purchase.account_id == device.account_id,
            Purchase.package == package,
            Purchase.status == "pending",
        )
    ).first()
    return app, pending


def create(session: Session, device: Principal, app: App, order: dict) -> tuple[int, dict]:
    if session.get(Entitlement, (device.account_id, app.package)) is not None:
        raise ApiError(
            409,
            "already_owned",
            f"package: your account owns {app.package} already",
            param="package",
        )
    purchase = Purchase(
        id=new_id("pur"),
        account_id=device.account_id,
        device_id=device.id,
        package=app.package,
        price=app.price,
        order_id=order["id"],
    )
    session.add(purchase)
    session.flush()
    return 201, view(purchase, order)


def mine(session: Session, who: Principal, purchase_id: str, lock: bool = False) -> Purchase:
    purchase = session.get(Purchase, purchase_id, with_for_update=lock)
    if purchase is None or (who.kind == "device" and purchase.account_id != who.account_id):
        raise ApiError(404, "resource_missing", f"no purchase {purchase_id}", param="purchase")
    return purchase


def complete(session: Session, who: Principal, purchase_id: str, order: dict | None):
    purchase = mine(session, who, purchase_id, lock=True)
    if purchase.status != "pending":
        return 200, view(purchase)
    if order is None or order.get("status") != "paid":
        status = order.get("status") if order else "unknown"
        raise ApiError(
            409,
            "payment_not_completed",
            f"purchase {purchase_id}: its payment order is {status}; pay it from the wallet",
            param="purchase",
        )
    app = session.get(App, purchase.package)
    assert app is not None
    at = now()
    purchase.status, purchase.paid_at, purchase.charge_id = "paid", at, order.get("charge") or ""
    session.add(Entitlement(account_id=purchase.account_id, package=purchase.package,
                            purchase_id=purchase.id, granted=at))  # fmt: skip
    revenue.record_sale(session, purchase, app.developer_id, at)
    return 200, view(purchase)


def refundable(purchase: Purchase, at: float) -> None:
    if purchase.status == "refunded":
        return
    if purchase.status != "paid":
        raise ApiError(
            409, "not_paid", f"purchase {purchase.id} is {purchase.status}", param="purchase"
        )
    if at - (purchase.paid_at or 0) > REFUND_WINDOW:
        raise ApiError(
            409,
            "refund_window_closed",
            f"purchase {purchase.id}: refunds are open for {REFUND_WINDOW // 3600} h after payment",
            param="purchase",
        )


def refund(session: Session, who: Principal, purchase_id: str) -> tuple[int, dict]:
    purchase = mine(session, who, purchase_id, lock=True)
    if purchase.status == "refunded":
        return 200, view(purchase)
    at = now()
    refundable(purchase, at)
    purchase.status, purchase.refunded_at = "refunded", at
    entitlement = session.get(Entitlement, (purchase.account_id, purchase.package))
    if entitlement is not None and entitlement.purchase_id == purchase.id:
        session.delete(entitlement)
    revenue.record_refund(session, purchase, at)
    return 200, view(purchase)


def view(purchase: Purchase, order: dict | None = None) -> dict:
    shown = {
        "id": purchase.id,
        "object": "purchase",
        "package": purchase.package,
        "account": purchase.account_id,
        "device": purchase.device_id,
        "price": purchase.price,
        "status": purchase.status,
        "order": purchase.order_id,
        "charge": purchase.charge_id or None,
        "created": purchase.created,
        "paid_at": purchase.paid_at,
        "refunded_at": purchase.refunded_at,
    }
    if order is not None:
        shown["code_url"] = order.get("code_url")
    return shown
