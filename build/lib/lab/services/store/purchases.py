"""Buying a paid app: a purchase is pending until the payment order it made is paid from
the device's wallet; completing it grants the account an entitlement (every device of
the account may install the app) and books the sale. A refund within the window returns
the money, revokes the entitlement and reverses the sale's revenue exactly.

Each step that involves the payment sandbox is written down first (the intent), then
asked of the sandbox under a key derived from the purchase, then finished: whoever
retries, and however many devices of the account ask at once, the sandbox sees one order
and one refund (routes_device.py drives the steps)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lab.services.db import LOCK, new_id, now
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


def intent(session: Session, device: Principal, package: str) -> tuple[Purchase, bool]:
    """The account's pending purchase of `package`, written now when there is none
    (True). The unique index lets one pending purchase exist per account and app: a
    concurrent writer's insert fails and its retry finds this one."""
    app, pending = buyable(session, device, package)
    if pending is not None:
        return pending, False
    purchase = Purchase(
        id=new_id("pur"),
        account_id=device.account_id,
        device_id=device.id,
        package=app.package,
        price=app.price,
        order_id="",
    )
    session.add(purchase)
    session.flush()
    return purchase, True


def order_key(purchase: Purchase) -> str:
    """The payment order's Idempotency-Key: every caller of this purchase makes one order."""
    return f"store-order-{purchase.id}"


def ordered(session: Session, purchase_id: str, order: dict, made: bool) -> tuple[int, dict]:
    """The purchase with its payment order: 201 when this request made it, else 200."""
    purchase = session.get(Purchase, purchase_id, with_for_update=LOCK)
    assert purchase is not None
    if not purchase.order_id:
        purchase.order_id = order["id"]
    return (201 if made else 200), view(purchase, order)


def expire(session: Session, purchase_id: str, order_id: str) -> None:
    """The purchase's order closed unpaid: the purchase ends, a new buy may begin."""
    purchase = session.get(Purchase, purchase_id, with_for_update=LOCK)
    if purchase is not None and purchase.status == "pending" and purchase.order_id == order_id:
        purchase.status = "expired"


def mine(session: Session, who: Principal, purchase_id: str, lock: bool = False) -> Purchase:
    purchase = session.get(Purchase, purchase_id, with_for_update=LOCK if lock else None)
    if purchase is None or (who.kind == "device" and purchase.account_id != who.account_id):
        raise ApiError(404, "resource_missing", f"no purchase {purchase_id}", param="purchase")
    return purchase


def complete(session: Session, who: Principal, purchase_id: str, order: dict | None):
    purchase = mine(session, who, purchase_id, lock=True)
    if purchase.status != "pending":
        return 200, view(purchase)
    if order is not None and order.get("status") == "closed":
        raise ApiError(
            409,
            "payment_expired",
            f"purchase {purchase_id}: its payment order expired unpaid; buy the app again",
            param="purchase",
        )
    if order is None or order.get("status") != "paid":
        status = order.get("status") if order else "not made yet"
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
    if purchase.status in ("refunded", "refunding"):
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


def start_refund(session: Session, who: Principal, purchase_id: str) -> Purchase:
    """The intent: a paid purchase in its window becomes `refunding` before the money is
    asked back; one already refunding (an earlier attempt that did not finish) is
    taken up again."""
    purchase = mine(session, who, purchase_id, lock=True)
    refundable(purchase, now())
    if purchase.status == "paid":
        purchase.status = "refunding"
    return purchase


def refund_key(purchase: Purchase) -> str:
    """The sandbox refund's Idempotency-Key: one per attempt, a new one after a refusal
    (the sandbox replays a refused key's refusal)."""
    return f"store-refund-{purchase.id}-{purchase.refund_attempt}"


def refund_refused(session: Session, purchase_id: str) -> None:
    """The sandbox refused the refund (no money moved): back to paid, the next attempt
    under a new key."""
    purchase = session.get(Purchase, purchase_id, with_for_update=LOCK)
    if purchase is not None and purchase.status == "refunding":
        purchase.status = "paid"
        purchase.refund_attempt += 1


def refund(session: Session, who: Principal, purchase_id: str) -> tuple[int, dict]:
    """The money came back: the purchase is refunded, the app revoked, the sale reversed."""
    purchase = mine(session, who, purchase_id, lock=True)
    if purchase.status == "refunded":
        return 200, view(purchase)
    if purchase.status != "refunding":
        raise ApiError(
            409, "not_refunding", f"purchase {purchase.id} is {purchase.status}", param="purchase"
        )
    at = now()
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
