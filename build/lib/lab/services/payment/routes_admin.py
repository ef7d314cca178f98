"""The lab's own calls (admin key): merchants and wallets for a run, top-ups, the books'
audit and reply faults."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from lab.services.box import Caller, IdemKey, post
from lab.services.errors import ApiError
from lab.services.payment import ledger, provisioning
from lab.services.payment.deps import sandbox
from lab.services.payment.faults import HeldReply
from lab.services.payment.models import Wallet
from lab.services.payment.schemas import FaultIn, MerchantIn, TopUpIn, WalletIn
from lab.services.principal import require

router = APIRouter(prefix="/v1/admin", tags=["lab"])


@router.post("/merchants", status_code=201, summary="A merchant and its API key (shown once)")
def create_merchant(body: MerchantIn, request: Request, who: Caller, key: IdemKey) -> JSONResponse:
    return post(request, who, body, key, lambda s: provisioning.create_merchant(s, body), "admin")


@router.post("/wallets", status_code=201, summary="A device's wallet and its secrets (shown once)")
def create_wallet(body: WalletIn, request: Request, who: Caller, key: IdemKey) -> JSONResponse:
    return post(request, who, body, key, lambda s: provisioning.create_wallet(s, body), "admin")


@router.post("/wallets/{wallet_id}/topup", summary="Add money to a wallet from outside")
def top_up(
    wallet_id: str,
    body: TopUpIn,
    request: Request,
    who: Caller,
    key: IdemKey,
) -> JSONResponse:
    def operation(session):
        wallet = session.get(Wallet, wallet_id)
        if wallet is None:
            raise ApiError(404, "resource_missing", f"no wallet {wallet_id}", param="wallet")
        provisioning.top_up(session, wallet, body.amount)
        return 200, {
            "wallet": wallet_id,
            "balance": ledger.account(session, wallet.account_id).balance,
        }

    return post(request, who, body, key, operation, "admin")


@router.get("/audit", summary="Do the books balance? (balances against entries)")
def audit(request: Request, who: Caller) -> dict:
    require(who, "admin")
    with sandbox(request).reads() as session:
        return ledger.audit(session)


@router.get("/stats", summary="What the sandbox has done since it started")
def stats(request: Request, who: Caller) -> dict:
    require(who, "admin")
    replays = sandbox(request).replays
    return {"replays": sum(replays.values()), "replays_by_caller": dict(replays)}


@router.post("/faults", summary="Hold the replies of matching requests (a lost reply)")
def add_fault(body: FaultIn, request: Request, who: Caller) -> dict:
    require(who, "admin")
    rules = sandbox(request).held
    if not body.seconds and body.refuse is None:
        raise ApiError(400, "parameter_invalid", "seconds: give seconds > 0, or refuse", "seconds")
    rules.append(HeldReply(body.path, body.seconds, body.count, body.caller, body.refuse))
    return {"faults": [vars(rule) for rule in rules if rule.count > 0]}


@router.delete("/faults", summary="Clear the faults (of one caller, or all)")
def clear_faults(request: Request, who: Caller, caller: str | None = None) -> dict:
    require(who, "admin")
    rules = sandbox(request).held
    rules[:] = [rule for rule in rules if caller is not None and rule.caller != caller]
    return {"faults": [vars(rule) for rule in rules if rule.count > 0]}
