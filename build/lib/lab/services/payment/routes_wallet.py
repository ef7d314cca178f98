"""The wallet's side (the app on a device, with the key the lab provisioned)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from lab.services.box import Caller, IdemKey, post
from lab.services.errors import ApiError
from lab.services.payment import charges, events, ledger, views
from lab.services.payment.deps import sandbox
from lab.services.payment.models import Wallet
from lab.services.payment.schemas import PayOrderIn, PinIn, VoicePaymentIn
from lab.services.principal import require

router = APIRouter(prefix="/v1/wallet", tags=["wallet"])


@router.get("", summary="The wallet: balance, lock, PIN limit")
def get_wallet(request: Request, who: Caller) -> dict:
    require(who, "wallet")
    with sandbox(request).reads() as session:
        wallet = session.get(Wallet, who.id)
        assert wallet is not None
        return views.wallet(wallet, ledger.account(session, wallet.account_id).balance)


@router.get("/transactions", summary="The wallet's ledger entries, newest first")
def transactions(request: Request, who: Caller) -> dict:
    require(who, "wallet")
    with sandbox(request).reads() as session:
        return {"data": [views.entry(e) for e in ledger.entries(session, who.account_id, 50)]}


@router.get("/events", summary="Events after `after`, waiting up to `wait` s (long poll)")
async def wallet_events(
    request: Request,
    who: Caller,
    after: int = Query(0, ge=0),
    wait: float = Query(0, ge=0, le=events.MAX_WAIT),
) -> dict:
    require(who, "wallet")
    found = await sandbox(request).hub.wait(who.id, after, wait)
    return {"data": [events.view(e) for e in found]}


@router.post("/payments", status_code=201, summary="A payment asked for by voice (PIN always)")
def voice_payment(
    body: VoicePaymentIn, request: Request, who: Caller, key: IdemKey
) -> JSONResponse:
    return post(request, who, body, key, lambda s: charges.voice_payment(s, who, body), "wallet")


@router.post("/charges/{charge_id}/prompted", summary="The PIN pad is on screen")
def prompted(charge_id: str, request: Request, who: Caller, key: IdemKey) -> JSONResponse:
    return post(request, who, None, key, lambda s: charges.prompted(s, who, charge_id), "wallet")


@router.post("/charges/{charge_id}/pin", summary="The PIN the customer entered")
def enter_pin(
    charge_id: str,
    body: PinIn,
    request: Request,
    who: Caller,
    key: IdemKey,
) -> JSONResponse:
    return post(
        request, who, body, key, lambda s: charges.enter_pin(s, who, charge_id, body.pin), "wallet"
    )


@router.post("/charges/{charge_id}/cancel", summary="The customer cancelled the PIN pad")
def cancel(charge_id: str, request: Request, who: Caller, key: IdemKey) -> JSONResponse:
    return post(request, who, None, key, lambda s: charges.cancel(s, who, charge_id), "wallet")


@router.get("/orders/{order_id}", summary="An order scanned from a merchant's QR code")
def scanned_order(order_id: str, request: Request, who: Caller) -> dict:
    require(who, "wallet")
    with sandbox(request).reads() as session:
        order = charges.order_of(session, order_id)
        merchant = charges.merchant_name(session, order.merchant_id)
        if order.status == "closed":
            raise ApiError(400, "order_closed", f"order {order_id} expired or was closed")
        return {**views.order(order), "merchant": merchant}


@router.post("/orders/{order_id}/pay", summary="Pay a scanned order")
def pay_order(
    order_id: str,
    body: PayOrderIn,
    request: Request,
    who: Caller,
    key: IdemKey,
) -> JSONResponse:
    return post(
        request, who, body, key, lambda s: charges.pay_order(s, who, order_id, body), "wallet"
    )
