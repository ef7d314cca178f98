"""The public API: what a shop's till, an OEM's tools and the suites call."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from lab.services.box import Caller, IdemKey, post
from lab.services.errors import ApiError
from lab.services.payment import charges, ledger, nfc, refunds, views
from lab.services.payment.deps import sandbox
from lab.services.payment.models import Account, Charge
from lab.services.payment.schemas import MicropayIn, NfcAuthorizeIn, OrderIn, RefundIn
from lab.services.principal import require

router = APIRouter(prefix="/v1", tags=["merchant"])


@router.post("/orders", status_code=201, summary="Create an order (merchant-presented QR)")
def create_order(
    body: OrderIn,
    request: Request,
    who: Caller,
    key: IdemKey,
) -> JSONResponse:
    return post(request, who, body, key, lambda s: charges.create_order(s, who, body), "merchant")


@router.get("/orders/{order_id}", summary="An order and its status")
def get_order(order_id: str, request: Request, who: Caller) -> dict:
    require(who, "merchant", "admin")
    with sandbox(request).reads() as session:
        row = charges.order_of(session, order_id, who.id if who.kind == "merchant" else None)
        return views.order(row)


@router.post("/orders/{order_id}/close", summary="Close an unpaid order (WeChat's closeorder)")
def close_order(order_id: str, request: Request, who: Caller, key: IdemKey) -> JSONResponse:
    """The merchant's, or the lab's (admin key: to end an order before its expiry)."""
    merchant = who.id if who.kind == "merchant" else None
    operation = lambda s: charges.close_order(s, order_id, merchant)  # noqa: E731
    return post(request, who, None, key, operation, "merchant", "admin")


@router.post("/micropay", summary="Charge a customer's payment code (scanned by the shop)")
def micropay(
    body: MicropayIn,
    request: Request,
    who: Caller,
    key: IdemKey,
) -> JSONResponse:
    return post(request, who, body, key, lambda s: charges.micropay(s, who, body), "merchant")


@router.get("/charges/{charge_id}", summary="A charge and its status")
def get_charge(charge_id: str, request: Request, who: Caller) -> dict:
    with sandbox(request).reads() as session:
        row = session.get(Charge, charge_id)
        visible = row is not None and (
            who.kind == "admin"
            or (who.kind == "merchant" and row.merchant_id == who.id)
            or (who.kind == "wallet" and row.wallet_id == who.id)
        )
        if not visible:
            raise ApiError(404, "resource_missing", f"no charge {charge_id}", param="charge")
        return views.charge(row)  # type: ignore[arg-type]


@router.post("/refunds", status_code=201, summary="Refund a charge, in part or in full")
def create_refund(
    body: RefundIn,
    request: Request,
    who: Caller,
    key: IdemKey,
) -> JSONResponse:
    return post(request, who, body, key, lambda s: refunds.refund(s, who, body), "merchant")


@router.get("/accounts/{account_id}", summary="An account's balance and transactions")
def get_account(
    account_id: str,
    request: Request,
    who: Caller,
    limit: int = Query(100, ge=1, le=10_000, description="newest transactions shown"),
) -> dict:
    with sandbox(request).reads() as session:
        row = session.get(Account, account_id)
        if row is None or (who.kind != "admin" and who.account_id != account_id):
            raise ApiError(404, "resource_missing", f"no account {account_id}", param="account")
        shown = views.account(row, ledger.entries(session, account_id, limit=limit))
        return {**shown, "transaction_count": ledger.count(session, account_id)}


@router.post("/nfc/authorize", summary="Authorise what a terminal read in an NFC card exchange")
def nfc_authorize(
    body: NfcAuthorizeIn,
    request: Request,
    who: Caller,
    key: IdemKey,
) -> JSONResponse:
    return post(request, who, body, key, lambda s: nfc.nfc_authorize(s, who, body), "merchant")
