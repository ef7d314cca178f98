"""The JSON the API answers with (one function per resource, so every route shows a
resource the same way)."""

from __future__ import annotations

from lab.services.payment.models import Account, Charge, LedgerEntry, Order, Refund, Wallet


def money(fen: int) -> str:
    return f"¥{fen / 100:.2f}"


def order(row: Order) -> dict:
    return {
        "id": row.id,
        "object": "order",
        "amount": row.amount,
        "currency": row.currency,
        "description": row.description,
        "status": row.status,
        "code_url": code_url(row.id),
        "charge": row.charge_id,
        "created": row.created,
        "expires": row.expires,
    }


def code_url(order_id: str) -> str:
    """What a merchant's QR code carries (WeChat's is weixin://wxpay/bizpayurl?pr=...)."""
    return f"tospay://pay?order={order_id}"


def charge(row: Charge) -> dict:
    return {
        "id": row.id,
        "object": "charge",
        "amount": row.amount,
        "currency": row.currency,
        "description": row.description,
        "channel": row.channel,
        "status": row.status,
        "decline_reason": row.decline_reason,
        "amount_refunded": row.amount_refunded,
        "refunded": row.amount_refunded == row.amount and row.status == "succeeded",
        "order": row.order_id,
        "wallet": row.wallet_id,
        "created": row.created,
    }


def refund(row: Refund) -> dict:
    return {
        "id": row.id,
        "object": "refund",
        "charge": row.charge_id,
        "amount": row.amount,
        "reason": row.reason,
        "status": row.status,
        "created": row.created,
    }


def entry(row: LedgerEntry) -> dict:
    return {
        "id": row.id,
        "txn": row.txn,
        "amount": row.amount,
        "kind": row.kind,
        "ref": row.ref,
        "memo": row.memo,
        "created": row.created,
    }


def account(row: Account, entries: list[LedgerEntry]) -> dict:
    return {
        "id": row.id,
        "object": "account",
        "kind": row.kind,
        "currency": row.currency,
        "balance": row.balance,
        "transactions": [entry(e) for e in entries],
    }


def wallet(row: Wallet, balance: int) -> dict:
    """What the wallet itself may see: never its PIN, secret or keys."""
    return {
        "id": row.id,
        "object": "wallet",
        "account": row.account_id,
        "number": row.number,
        "balance": balance,
        "locked": row.locked,
        "pin_limit": row.pin_limit,
        "card": f"{row.card_bin}******{row.card_last4}",
    }
