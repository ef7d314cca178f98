"""Refunds: partial until the charge is used up (at most 50 per charge, as WeChat Pay);
an over-refund is an error that changes nothing. The money goes back from the merchant's
account to the customer's."""

from __future__ import annotations

from sqlalchemy.orm import Session

from lab.services.db import LOCK, new_id
from lab.services.errors import ApiError
from lab.services.payment import events, ledger
from lab.services.payment.models import MAX_REFUNDS, Charge, Merchant, Refund, Wallet
from lab.services.payment.schemas import RefundIn
from lab.services.payment.views import money
from lab.services.payment.views import refund as refund_view
from lab.services.principal import Principal


def refund(session: Session, merchant: Principal, body: RefundIn) -> tuple[int, dict]:
    charge = session.get(Charge, body.charge, with_for_update=LOCK)
    if charge is None or charge.merchant_id != merchant.id:
        raise ApiError(404, "resource_missing", f"no charge {body.charge}", param="charge")
    if charge.status != "succeeded":
        raise ApiError(
            400,
            "charge_not_refundable",
            f"charge {charge.id} is {charge.status}: only a succeeded charge is refunded",
            param="charge",
        )
    left = charge.amount - charge.amount_refunded
    if left == 0:
        raise ApiError(
            400,
            "charge_already_refunded",
            f"charge {charge.id} is refunded in full already",
            param="charge",
        )
    amount = body.amount if body.amount is not None else left
    if amount > left:
        raise ApiError(
            400,
            "amount_too_large",
            f"amount: {amount} fen is greater than the {left} fen not yet refunded",
            param="amount",
        )
    if charge.refund_count >= MAX_REFUNDS:
        raise ApiError(
            400, "too_many_refunds", f"charge {charge.id} has had {MAX_REFUNDS} refunds already"
        )
    owner = session.get(Merchant, merchant.id)
    wallet = session.get(Wallet, charge.wallet_id, with_for_update=LOCK)  # before the accounts
    assert owner is not None and wallet is not None
    source, customer = ledger.pair(session, owner.account_id, wallet.account_id)
    if not ledger.can_pay(source, amount):
        raise ApiError(
            400,
            "insufficient_merchant_balance",
            f"the merchant's balance ({money(source.balance)}) cannot cover {money(amount)}",
            param="amount",
        )
    row = Refund(id=new_id("re"), charge_id=charge.id, amount=amount, reason=body.reason)
    session.add(row)
    memo = f"refund {money(amount)} of {charge.description or charge.id}"
    ledger.transfer(session, source, customer, amount, "refund", row.id, memo)
    charge.amount_refunded += amount
    charge.refund_count += 1
    events.notify(
        session,
        wallet.id,
        "refund_succeeded",
        charge=charge.id,
        refund=row.id,
        amount=amount,
        description=charge.description,
        balance=customer.balance,
    )
    return 201, refund_view(row)
