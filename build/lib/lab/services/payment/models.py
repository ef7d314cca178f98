"""The sandbox's tables. Money is integer fen; every movement is a pair of ledger entries
summing to zero, and an account's balance is the sum of its entries."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from lab.services.db import Base, now

PIN_LIMIT = 20000  # fen: above ¥200 a charge needs the PIN on the device
MAX_PIN_FAILURES = 3
MAX_REFUNDS = 50  # per charge, as WeChat Pay
MAX_AMOUNT = 100_000_000  # fen (¥1,000,000) per charge


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        # money outside the sandbox (top-ups) is the only account that may go below zero
        CheckConstraint("kind = 'external' OR balance >= 0", name="no_negative_balance"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # customer | merchant | external
    owner: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    balance: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[float] = mapped_column(Float, default=now)


class LedgerEntry(Base):
    __tablename__ = "ledger_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    txn: Mapped[str] = mapped_column(String(32), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)  # + credit, - debit
    kind: Mapped[str] = mapped_column(String(16))  # topup | charge | refund
    ref: Mapped[str] = mapped_column(String(32))  # the charge or refund it belongs to
    memo: Mapped[str] = mapped_column(String(128), default="")
    created: Mapped[float] = mapped_column(Float, default=now)


class Merchant(Base):
    __tablename__ = "merchants"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))


class Wallet(Base):
    __tablename__ = "wallets"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    device: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    number: Mapped[str] = mapped_column(String(8), unique=True)  # in its payment codes
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # base32, shared with the wallet; sealed (lab/services/vault.py)
    code_secret: Mapped[str] = mapped_column(String(128))
    pin_hash: Mapped[str] = mapped_column(String(200))
    pin_failures: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    pin_limit: Mapped[int] = mapped_column(Integer, default=PIN_LIMIT)
    card_token: Mapped[str] = mapped_column(String(19), unique=True)  # the DPAN an NFC tap shows
    card_psn: Mapped[str] = mapped_column(String(2), default="00")
    card_expiry: Mapped[str] = mapped_column(String(6))  # YYMMDD
    card_bin: Mapped[str] = mapped_column(String(6))  # of the real card: BIN and last four only
    card_last4: Mapped[str] = mapped_column(String(4))
    last_atc: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[float] = mapped_column(Float, default=now)


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # paying | paid | closed
    charge_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created: Mapped[float] = mapped_column(Float, default=now)
    expires: Mapped[float] = mapped_column(Float)


class Charge(Base):
    __tablename__ = "charges"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"), index=True)
    wallet_id: Mapped[str] = mapped_column(ForeignKey("wallets.id"), index=True)
    order_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(String(128), default="")
    channel: Mapped[str] = mapped_column(String(16))  # payment_code | order_scan | nfc | voice
    # succeeded | requires_pin | userpaying | declined
    status: Mapped[str] = mapped_column(String(16))
    decline_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    amount_refunded: Mapped[int] = mapped_column(Integer, default=0)
    refund_count: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[float] = mapped_column(Float, default=now)
    updated: Mapped[float] = mapped_column(Float, default=now)


class Refund(Base):
    __tablename__ = "refunds"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    charge_id: Mapped[str] = mapped_column(ForeignKey("charges.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(128), default="")
    status: Mapped[str] = mapped_column(String(16), default="succeeded")
    created: Mapped[float] = mapped_column(Float, default=now)


class UsedCode(Base):
    """A payment code is single use: the (wallet, issue second) it was made at."""

    __tablename__ = "used_codes"
    wallet_id: Mapped[str] = mapped_column(ForeignKey("wallets.id"), primary_key=True)
    issued_at: Mapped[int] = mapped_column(Integer, primary_key=True)
    charge_id: Mapped[str] = mapped_column(String(32))


class WalletEvent(Base):
    """What a wallet is told (it long-polls): a PIN is wanted, a payment went through or
    was declined, a refund came back, its code was used."""

    __tablename__ = "wallet_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    wallet_id: Mapped[str] = mapped_column(ForeignKey("wallets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    data: Mapped[str] = mapped_column(Text)
    created: Mapped[float] = mapped_column(Float, default=now)


class Setting(Base):
    """The sandbox's own keys (the issuer master key its cards' keys derive from)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
