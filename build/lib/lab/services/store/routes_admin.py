"""The lab's own calls (admin key): developers, accounts and devices for a run, and the
revenue ledger's audit."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from lab.services.box import Caller, IdemKey, box, post
from lab.services.principal import require
from lab.services.store import provisioning, revenue
from lab.services.store.schemas import AccountIn, DeveloperIn, DeviceIn, FaultIn

router = APIRouter(prefix="/v1/admin", tags=["lab"])


@router.post("/developers", status_code=201, summary="A developer and its API key (shown once)")
def create_developer(
    body: DeveloperIn, request: Request, who: Caller, key: IdemKey
) -> JSONResponse:
    return post(request, who, body, key, lambda s: provisioning.create_developer(s, body), "admin")


@router.post("/accounts", status_code=201, summary="A customer account")
def create_account(body: AccountIn, request: Request, who: Caller, key: IdemKey) -> JSONResponse:
    return post(request, who, body, key, lambda s: provisioning.create_account(s, body), "admin")


@router.post("/devices", status_code=201, summary="A device of an account and its key (shown once)")
def register_device(body: DeviceIn, request: Request, who: Caller, key: IdemKey) -> JSONResponse:
    response = post(
        request, who, body, key, lambda s: provisioning.register_device(s, body), "admin"
    )
    box(request).principals.clear()  # a re-registered device's old key no longer works
    return response


@router.get("/audit", summary="Does every revenue transaction sum to zero?")
def audit(request: Request, who: Caller) -> dict:
    require(who, "admin")
    with box(request).reads() as session:
        return revenue.audit(session)


@router.post("/faults", summary="Slow one device's APK downloads (or every device's); 0 clears")
def faults(body: FaultIn, request: Request, who: Caller) -> dict:
    require(who, "admin")
    rates = box(request).download_rates
    if body.download_bytes_per_second:
        rates[body.device] = body.download_bytes_per_second
    else:
        rates.pop(body.device, None)
    return {"download_bytes_per_second": dict(rates)}
