"""Charges: a customer's payment code scanned by the shop (micropay), a merchant's order
QR scanned by the customer's wallet, and an NFC tap. Each ends `succeeded`, `declined`
(with a reason), or waits for the PIN on the device (`requires_pin`, then `userpaying`
once the wallet shows its PIN pad). Money moves only on `succeeded`."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from lab.protocols import paycode
from lab.services.db import LOCK, new_id
from lab.services.errors import ApiError
from lab.services.keys import pin_matches
from lab.services.payment import events, ledger
from lab.services.payment.models import (
    MAX_PIN_FAILURES,
    Charge,
    Merchant,
    Order,
    UsedCode,
    Wallet,
)
from lab.services.payment.provisioning import code_secret
from lab.services.payment.schemas import (
    MicropayIn,
    OrderIn,
    PayOrderIn,
    VoicePaymentIn,
)
from lab.services.payment.views import charge as charge_view
from lab.services.payment.views import money
from lab.services.payment.views import order as order_view
from lab.services.principal import Principal

Outcome = tuple[int, dict]
AWAITING_PIN = ("requires_pin", "userpaying")


# -- orders (merchant-presented QR)
def create_order(session: Session, merchant: Principal, body: OrderIn) -> Outcome:
    created = time.time()
    row = Order(
        id=new_id("ord"),
        merchant_id=merchant.id,
        amount=body.amount,
        currency=body.currency,
        description=body.description,
        status="pending",
        created=created,
        expires=created + body.expires_in,
    )
    session.add(row)
    return 201, order_view(row)


def order_of(session: Session, order_id: str, merchant_id: str | None = None) -> Order:
    row = session.get(Order, order_id, with_for_update=LOCK)
    if row is None or (merchant_id and row.merchant_id != merchant_id):
        raise ApiError(404, "resource_missing", f"no order {order_id}", param="order")
    if row.status == "pending" and row.expires < time.time():
        row.status = "closed"
    return row


def close_order(session: Session, order_id: str, merchant_id: str | None) -> Outcome:
    """An unpaid order closes: it can never be paid after (closing twice is no error)."""
    order = order_of(session, order_id, merchant_id)
    if order.status in ("paid", "paying"):
        _payable(order)  # says why it cannot close
    order.status = "closed"
    return 200, order_view(order)


def _payable(order: Order) -> None:
    if order.status == "paid":
        raise ApiError(409, "order_already_paid", f"order {order.id} is paid already")
    if order.status == "paying":
        raise ApiError(409, "order_in_payment", f"order {order.id} waits for a PIN on a device")
    if order.status == "closed":
        raise ApiError(400, "order_closed", f"order {order.id} expired or was closed")


# -- the customer's payment code (micropay)
def micropay(session: Session, merchant: Principal, body: MicropayIn) -> Outcome:
    if (body.amount is None) == (body.order is None):
        raise ApiError(
            400,
            "parameter_invalid",
            "amount: give the amount in fen, or an order (one of the two)",
            param="amount",
        )
    order = None
    amount = body.amount or 0
    if body.order is not None:
        order = order_of(session, body.order, merchant.id)
        _payable(order)
        amount = order.amount
    wallet, issued = _redeem(session, body.auth_code)
    row = new_charge(session, merchant.id, wallet, amount, body.description, "payment_code")
    if order:
        row.order_id = order.id
        row.description = row.description or order.description
    session.add(UsedCode(wallet_id=wallet.id, issued_at=issued, charge_id=row.id))
    events.notify(session, wallet.id, "code_used", charge=row.id)
    decide(session, row, wallet, order, pin_checked=False)
    return 200, charge_view(row)


def _redeem(session: Session, code: str) -> tuple[Wallet, int]:
    """The wallet a payment code is from and the second it was issued; refused (400,
    nothing changes) when it is malformed, unknown, expired or used already."""
    parsed = paycode.parse(code)
    if parsed is None:
        raise ApiError(
            400,
            "auth_code_invalid",
            "auth_code: expected the 18 digits of a payment code, starting 10-15",
            param="auth_code",
        )
    wallet = session.scalars(
        select(Wallet).where(Wallet.number == parsed.wallet_number).with_for_update(**LOCK)
    ).first()
    unknown = ApiError(
        400, "auth_code_invalid", "auth_code: not a payment code of any wallet", param="auth_code"
    )
    if wallet is None:
        raise unknown
    now = int(time.time())
    secret = code_secret(session, wallet)
    issued = paycode.issued_at(secret, parsed, now)
    if issued is None:
        if paycode.expired_at(secret, parsed, now) is not None:
            raise ApiError(
                400,
                "auth_code_expired",
                f"auth_code: expired (valid {paycode.VALID_SECONDS} s); ask for a fresh code",
                param="auth_code",
            )
        raise unknown
    if session.get(UsedCode, (wallet.id, issued)) is not None:
        raise ApiError(
            400,
            "auth_code_used",
            "auth_code: this payment code was used already (single use); ask for a fresh code",
            param="auth_code",
        )
    return wallet, issued


def new_charge(
    session: Session, merchant_id: str, wallet: Wallet, amount: int, description: str, channel: str
) -> Charge:
    row = Charge(
        id=new_id("ch"),
        merchant_id=merchant_id,
        wallet_id=wallet.id,
        amount=amount,
        currency="CNY",
        description=description,
        channel=channel,
        status="requires_pin",
        amount_refunded=0,
        refund_count=0,
    )
    session.add(row)
    return row


def decide(
    session: Session, row: Charge, wallet: Wallet, order: Order | None, pin_checked: bool
) -> None:
    """Settle `row`: decline, wait for the PIN, or move the money."""
    if wallet.locked:
        return decline(session, row, wallet, order, "wallet_locked")
    if row.amount > wallet.pin_limit and not pin_checked:
        return _ask_pin(session, row, wallet, order)
    merchant = session.get(Merchant, row.merchant_id)
    assert merchant is not None
    customer, target = ledger.pair(session, wallet.account_id, merchant.account_id)
    if not ledger.can_pay(customer, row.amount):
        return decline(session, row, wallet, order, "insufficient_balance")
    memo = f"{row.description or 'payment'} {money(row.amount)}"
    ledger.transfer(session, customer, target, row.amount, "charge", row.id, memo)
    row.status, row.updated = "succeeded", time.time()
    if order:
        order.status, order.charge_id = "paid", row.id
    events.notify(
        session,
        wallet.id,
        "charge_succeeded",
        charge=row.id,
        amount=row.amount,
        description=row.description,
        merchant=merchant.name,
        balance=customer.balance,
    )
    return None


def _ask_pin(session: Session, row: Charge, wallet: Wallet, order: Order | None) -> None:
    row.status = "requires_pin"
    if order:
        order.status, order.charge_id = "paying", row.id
    events.notify(
        session,
        wallet.id,
        "pin_required",
        charge=row.id,
        amount=row.amount,
        description=row.description,
        merchant=merchant_name(session, row.merchant_id),
    )


def decline(
    session: Session, row: Charge, wallet: Wallet, order: Order | None, reason: str
) -> None:
    row.status, row.decline_reason, row.updated = "declined", reason, time.time()
    if order and order.status == "paying":
        order.status, order.charge_id = "pending", None  # another attempt may pay it
    events.notify(
        session,
        wallet.id,
        "charge_declined",
        charge=row.id,
        amount=row.amount,
        reason=reason,
        description=row.description,
        merchant=merchant_name(session, row.merchant_id),
    )


def merchant_name(session: Session, merchant_id: str) -> str:
    merchant = session.get(Merchant, merchant_id)
    return merchant.name if merchant else ""


# -- a payment asked for by voice on the device
def voice_payment(session: Session, principal: Principal, body: VoicePaymentIn) -> Outcome:
    """Always waits for the PIN, whatever the amount: a voice is no proof of who speaks."""
    merchant = session.get(Merchant, body.merchant)
    if merchant is None:
        raise ApiError(404, "resource_missing", f"no merchant {body.merchant}", param="merchant")
    wallet = session.get(Wallet, principal.id, with_for_update=LOCK)
    assert wallet is not None
    row = new_charge(session, merchant.id, wallet, body.amount, body.description, "voice")
    if wallet.locked:
        decline(session, row, wallet, None, "wallet_locked")
    else:
        _ask_pin(session, row, wallet, None)
    return 201, charge_view(row)


# -- the wallet's side of a charge waiting for its PIN
def wallet_charge(session: Session, wallet: Principal, charge_id: str) -> Charge:
    row = session.get(Charge, charge_id, with_for_update=LOCK)
    if row is None or row.wallet_id != wallet.id:
        raise ApiError(404, "resource_missing", f"no charge {charge_id}", param="charge")
    return row


def prompted(session: Session, wallet: Principal, charge_id: str) -> Outcome:
    """The wallet shows its PIN pad: the customer is paying (WeChat's USERPAYING)."""
    row = wallet_charge(session, wallet, charge_id)
    if row.status == "requires_pin":
        row.status, row.updated = "userpaying", time.time()
    return 200, charge_view(row)


def enter_pin(session: Session, principal: Principal, charge_id: str, pin: str) -> Outcome:
    """A wrong PIN is answered 400 but kept (its count must survive); the third locks the
    wallet and declines the charge."""
    row = wallet_charge(session, principal, charge_id)
    if row.status not in AWAITING_PIN:
        raise ApiError(409, "charge_not_awaiting_pin", f"charge {row.id} is {row.status}")
    # the order before the wallet, as paying an order locks them (never the other way)
    order = order_of(session, row.order_id) if row.order_id else None
    wallet = session.get(Wallet, principal.id, with_for_update=LOCK)
    assert wallet is not None
    if wallet.locked:
        decline(session, row, wallet, order, "wallet_locked")
        return _locked()
    if not pin_matches(pin, wallet.pin_hash):
        return _wrong_pin(session, wallet, row, order)
    wallet.pin_failures = 0
    decide(session, row, wallet, order, pin_checked=True)
    return 200, charge_view(row)


def _wrong_pin(
    session: Session, wallet: Wallet, row: Charge | None, order: Order | None
) -> Outcome:
    wallet.pin_failures += 1
    left = MAX_PIN_FAILURES - wallet.pin_failures
    if left > 0:
        error = ApiError(
            400,
            "pin_incorrect",
            f"pin: incorrect; {left} attempt{'s' if left > 1 else ''} left",
            param="pin",
            attempts_left=left,
        )
        return error.status, error.body()
    wallet.locked = True
    if row is not None:
        decline(session, row, wallet, order, "wallet_locked")
    events.notify(session, wallet.id, "wallet_locked")
    return _locked()


def _locked() -> Outcome:
    error = ApiError(
        403,
        "wallet_locked",
        f"the wallet is locked after {MAX_PIN_FAILURES} wrong PINs",
        attempts_left=0,
    )
    return error.status, error.body()


def cancel(session: Session, principal: Principal, charge_id: str) -> Outcome:
    row = wallet_charge(session, principal, charge_id)
    if row.status not in AWAITING_PIN:
        raise ApiError(409, "charge_not_awaiting_pin", f"charge {row.id} is {row.status}")
    wallet = session.get(Wallet, principal.id)
    assert wallet is not None
    order = order_of(session, row.order_id) if row.order_id else None
    decline(session, row, wallet, order, "canceled_by_user")
    return 200, charge_view(row)


# -- the merchant's QR, scanned by the wallet
def pay_order(session: Session, principal: Principal, order_id: str, body: PayOrderIn) -> Outcome:
    order = order_of(session, order_id)
    _payable(order)
    wallet = session.get(Wallet, principal.id, with_for_update=LOCK)
    assert wallet is not None
    if wallet.locked:
        return _locked()
    pin_checked = False
    if order.amount > wallet.pin_limit:
        if body.pin is None:
            raise ApiError(
                400,
                "pin_required",
                f"pin: required above {money(wallet.pin_limit)}",
                param="pin",
            )
        if not pin_matches(body.pin, wallet.pin_hash):
            return _wrong_pin(session, wallet, None, None)
        wallet.pin_failures, pin_checked = 0, True
    row = new_charge(
        session, order.merchant_id, wallet, order.amount, order.description, "order_scan"
    )
    row.order_id = order.id
    decide(session, row, wallet, order, pin_checked=pin_checked)
    return 200, charge_view(row)
