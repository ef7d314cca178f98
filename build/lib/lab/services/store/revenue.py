"""The revenue ledger. A sale is one transaction: the buyer's money leaves the clearing
account and splits between the developer and the platform; its entries sum to zero.

The platform keeps 15 % of a developer's first ¥1,000,000 of net sales in a calendar
year (UTC) and 30 % above; a sale that crosses the line is split at it, each part at its
rate. Net sales are sales less refunds, so a refund gives room back below the line. A
refund reverses its sale's entries exactly (never recomputed at today's rates). Fees are
integer fen, rounded half up."""

from __future__ import annotations

import csv
import io
import time
from collections import defaultdict

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from lab.services.db import new_id
from lab.services.store.models import CLEARING, PLATFORM, Purchase, RevenueEntry

THRESHOLD = 100_000_000  # fen: ¥1,000,000 a year at the small-developer rate
SMALL_RATE, STANDARD_RATE = 15, 30


def developer_account(developer_id: str) -> str:
    return f"developer:{developer_id}"


def fee(amount: int, rate: int) -> int:
    return (amount * rate + 50) // 100


def month_of(at: float) -> str:
    return time.strftime("%Y-%m", time.gmtime(at))


def net_sales(session: Session, developer_id: str, year: str) -> int:
    """The developer's sales less refunds in `year` (YYYY), in fen."""
    signed = func.sum(
        case((RevenueEntry.kind == "sale", RevenueEntry.gross), else_=-RevenueEntry.gross)
    )
    query = select(signed).where(
        RevenueEntry.account == developer_account(developer_id),
        RevenueEntry.month.like(f"{year}-%"),
    )
    return int(session.scalar(query) or 0)


def shares(price: int, sold_before: int) -> list[tuple[int, int]]:
    """(part of the price, platform rate) for a sale after `sold_before` net this year."""
    small = max(0, min(price, THRESHOLD - sold_before))
    parts = [(small, SMALL_RATE), (price - small, STANDARD_RATE)]
    return [(part, rate) for part, rate in parts if part > 0]


def record_sale(session: Session, purchase: Purchase, developer_id: str, at: float) -> str:
    month = month_of(at)
    sold = net_sales(session, developer_id, month[:4])
    txn = new_id("rtx")

    def entry(account: str, amount: int, rate: int, gross: int) -> RevenueEntry:
        return RevenueEntry(
            txn=txn, account=account, amount=amount, kind="sale", purchase_id=purchase.id,
            developer_id=developer_id, rate=rate, gross=gross, at=at, month=month,
        )  # fmt: skip

    rows = [entry(CLEARING, -purchase.price, 0, purchase.price)]
    for part, rate in shares(purchase.price, sold):
        cut = fee(part, rate)
        rows.append(entry(developer_account(developer_id), part - cut, rate, part))
        rows.append(entry(PLATFORM, cut, rate, part))
    session.add_all(rows)
    return txn


def record_refund(session: Session, purchase: Purchase, at: float) -> str:
    """The sale's entries, negated, in a transaction of their own."""
    sale = session.scalars(
        select(RevenueEntry).where(
            RevenueEntry.purchase_id == purchase.id, RevenueEntry.kind == "sale"
        )
    ).all()
    txn = new_id("rtx")
    session.add_all(
        RevenueEntry(
            txn=txn,
            account=e.account,
            amount=-e.amount,
            kind="refund",
            purchase_id=e.purchase_id,
            developer_id=e.developer_id,
            rate=e.rate,
            gross=e.gross,
            at=at,
            month=month_of(at),
        )
        for e in sale
    )
    return txn


def entries_of(session: Session, purchase_id: str) -> list[dict]:
    query = select(RevenueEntry).where(RevenueEntry.purchase_id == purchase_id)
    return [
        {
            "txn": e.txn,
            "account": e.account,
            "amount": e.amount,
            "kind": e.kind,
            "rate": e.rate,
            "gross": e.gross,
            "month": e.month,
        }
        for e in session.scalars(query.order_by(RevenueEntry.id))
    ]


def statement(session: Session, developer_id: str, month: str) -> dict:
    """The developer's month: each sale and refund with its gross, fee and net."""
    rows = session.execute(
        select(RevenueEntry, Purchase.package)
        .join(Purchase, Purchase.id == RevenueEntry.purchase_id)
        .where(
            RevenueEntry.account == developer_account(developer_id),
            RevenueEntry.month == month,
        )
        .order_by(RevenueEntry.id)
    ).all()
    lines = []
    for entry, package in rows:
        gross = entry.gross if entry.kind == "sale" else -entry.gross
        lines.append(
            {
                "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(entry.at)),
                "purchase": entry.purchase_id,
                "package": package,
                "kind": entry.kind,
                "gross": gross,
                "rate": entry.rate,
                "fee": gross - entry.amount,
                "net": entry.amount,
            }
        )
    totals = {key: sum(line[key] for line in lines) for key in ("gross", "fee", "net")}
    return {
        "object": "statement",
        "developer": developer_id,
        "month": month,
        "currency": "CNY",
        "lines": lines,
        "totals": totals,
        "net_sales_year_to_date": net_sales(session, developer_id, month[:4]),
    }


def statement_csv(report: dict) -> str:
    out = io.StringIO()
    fields = ["date", "purchase", "package", "kind", "gross", "rate", "fee", "net"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(report["lines"])
    writer.writerow({"date": "total", **report["totals"]})
    return out.getvalue()


def audit(session: Session) -> dict:
    """Every transaction sums to zero; developers and platform together hold the gross."""
    by_txn: dict[str, int] = defaultdict(int)
    by_account: dict[str, int] = defaultdict(int)
    for txn, account, amount in session.execute(
        select(RevenueEntry.txn, RevenueEntry.account, RevenueEntry.amount)
    ):
        by_txn[txn] += amount
        by_account[account] += amount
    unbalanced = sorted(txn for txn, total in by_txn.items() if total != 0)
    shares_total = sum(v for k, v in by_account.items() if k != CLEARING)
    return {
        "balanced": not unbalanced and shares_total == -by_account.get(CLEARING, 0),
        "transactions": len(by_txn),
        "unbalanced": unbalanced[:20],
        "gross": -by_account.get(CLEARING, 0),
        "platform": by_account.get(PLATFORM, 0),
        "developers": shares_total - by_account.get(PLATFORM, 0),
    }
