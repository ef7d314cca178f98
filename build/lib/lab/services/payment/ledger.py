"""Moving money: a transfer is two ledger entries that sum to zero, in the caller's
transaction; no account but the external one goes below zero."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lab.services.db import LOCK, fit, new_id
from lab.services.errors import ApiError
from lab.services.payment.models import Account, LedgerEntry

EXTERNAL = "acct_external"  # money outside the sandbox: top-ups come from here
MEMO = LedgerEntry.memo.type.length  # type: ignore[attr-defined]


def account(session: Session, account_id: str) -> Account:
    """The account, locked for this transaction (a no-op on SQLite, which locks it all)."""
    found = session.get(Account, account_id, with_for_update=LOCK)
    if found is None:
        raise ApiError(404, "resource_missing", f"no account {account_id}", param="account")
    return found


def pair(session: Session, first_id: str, second_id: str) -> tuple[Account, Account]:
    """Two accounts, locked in the order of their ids whatever the order asked: a charge
    (customer, then merchant) and a refund (merchant, then customer) running at once on
    PostgreSQL would otherwise each hold the lock the other waits for (a deadlock)."""
    locked = {i: account(session, i) for i in sorted({first_id, second_id})}
    return locked[first_id], locked[second_id]


def external(session: Session) -> Account:
    found = session.get(Account, EXTERNAL, with_for_update=LOCK)
    if found is None:
        found = Account(id=EXTERNAL, kind="external", owner="outside the sandbox", balance=0)
        session.add(found)
        session.flush()
    return found


def can_pay(source: Account, amount: int) -> bool:
    return source.kind == "external" or source.balance >= amount


def transfer(
    session: Session, source: Account, target: Account, amount: int, kind: str, ref: str, memo: str
) -> str:
    """Move `amount` fen; the caller has checked `can_pay` (this refuses, as a bug, if not)."""
    if amount <= 0:
        raise ValueError(f"a transfer moves a positive amount, not {amount}")
    if not can_pay(source, amount):
        raise ValueError(f"{source.id} cannot pay {amount}: the caller must check can_pay")
    txn = new_id("txn")
    memo = fit(memo, MEMO)  # made from a description that may fill its own column
    source.balance -= amount
    target.balance += amount
    session.add_all(
        [
            LedgerEntry(
                txn=txn, account_id=source.id, amount=-amount, kind=kind, ref=ref, memo=memo
            ),
            LedgerEntry(
                txn=txn, account_id=target.id, amount=amount, kind=kind, ref=ref, memo=memo
            ),
        ]
    )
    return txn


def entries(session: Session, account_id: str, limit: int = 100) -> list[LedgerEntry]:
    query = (
        select(LedgerEntry)
        .where(LedgerEntry.account_id == account_id)
        .order_by(LedgerEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def count(session: Session, account_id: str) -> int:
    query = select(func.count()).where(LedgerEntry.account_id == account_id)
    return int(session.scalar(query) or 0)


def audit(session: Session) -> dict:
    """Every account's balance against the sum of its entries, every transaction's sum,
    and any negative balance: the books balance when all three lists are empty."""
    sums = dict(
        session.execute(
            select(LedgerEntry.account_id, func.sum(LedgerEntry.amount)).group_by(
                LedgerEntry.account_id
            )
        ).all()
    )
    mismatched, negative, count = [], [], 0
    for acct in session.scalars(select(Account)):
        count += 1
        total = int(sums.get(acct.id) or 0)
        if total != acct.balance:
            mismatched.append({"account": acct.id, "balance": acct.balance, "entries": total})
        if acct.kind != "external" and acct.balance < 0:
            negative.append({"account": acct.id, "balance": acct.balance})
    unbalanced = [
        txn
        for txn, total in session.execute(
            select(LedgerEntry.txn, func.sum(LedgerEntry.amount)).group_by(LedgerEntry.txn)
        ).all()
        if total != 0
    ]
    return {
        "accounts": count,
        "mismatched": mismatched,
        "negative": negative,
        "unbalanced_transactions": unbalanced,
        "balanced": not (mismatched or negative or unbalanced),
    }
