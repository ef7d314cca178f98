"""The store's tables. Prices and revenue in integer fen. Every sale and refund is a
revenue transaction of entries that sum to zero: the buyers' clearing account on one
side, the developer's and the platform's shares on the other."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from lab.services.db import Base, now

MAX_PRICE = 100_000_000  # fen: ¥1,000,000, the payment sandbox's largest charge
CLEARING, PLATFORM = "clearing", "platform"  # revenue accounts beside `developer:<id>`


class Developer(Base):
    __tablename__ = "developers"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[float] = mapped_column(Float, default=now)


class StoreAccount(Base):
    """A customer: owns devices and what was bought on any of them."""

    __tablename__ = "store_accounts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    created: Mapped[float] = mapped_column(Float, default=now)


class StoreDevice(Base):
    __tablename__ = "store_devices"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("store_accounts.id"), index=True)
    device_class: Mapped[str] = mapped_column(String(16))
    features: Mapped[str] = mapped_column(Text)  # JSON list
    sdk: Mapped[int] = mapped_column(Integer)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)


class App(Base):
    __tablename__ = "apps"
    package: Mapped[str] = mapped_column(String(128), primary_key=True)
    developer_id: Mapped[str] = mapped_column(ForeignKey("developers.id"), index=True)
    title: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(512), default="")
    price: Mapped[int] = mapped_column(Integer, default=0)  # fen; 0 is free
    signer: Mapped[str] = mapped_column(String(64), default="")  # its first version's
    created: Mapped[float] = mapped_column(Float, default=now)


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("package", "version_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    package: Mapped[str] = mapped_column(ForeignKey("apps.package"), index=True)
    version_code: Mapped[int] = mapped_column(Integer)
    version_name: Mapped[str] = mapped_column(String(64))
    min_sdk: Mapped[int] = mapped_column(Integer)
    features: Mapped[str] = mapped_column(Text)  # JSON list of required features
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))  # also the blob's file name
    uploaded: Mapped[float] = mapped_column(Float, default=now)


class Purchase(Base):
    """A purchase is written (pending) before the store asks the payment sandbox for its
    order, so that concurrent buys of one app by one account meet on one purchase (the
    unique index) and one order; a refund is written (refunding) before the sandbox's
    refund is asked for. A retry finds the intent and finishes it under the same key."""

    __tablename__ = "purchases"
    __table_args__ = (
        Index(
            "one_pending_purchase",
            "account_id",
            "package",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("store_accounts.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    package: Mapped[str] = mapped_column(ForeignKey("apps.package"), index=True)
    price: Mapped[int] = mapped_column(Integer)
    # pending (its order unpaid) | paid | refunding | refunded | expired (its order closed)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    order_id: Mapped[str] = mapped_column(String(32), default="")  # the sandbox's order
    charge_id: Mapped[str] = mapped_column(String(32), default="")
    refund_attempt: Mapped[int] = mapped_column(Integer, default=0)  # refusals so far
    created: Mapped[float] = mapped_column(Float, default=now)
    paid_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    refunded_at: Mapped[float | None] = mapped_column(Float, nullable=True)


class Entitlement(Base):
    """Bought once, installable on every device of the account, until refunded."""

    __tablename__ = "entitlements"
    account_id: Mapped[str] = mapped_column(ForeignKey("store_accounts.id"), primary_key=True)
    package: Mapped[str] = mapped_column(ForeignKey("apps.package"), primary_key=True)
    purchase_id: Mapped[str] = mapped_column(ForeignKey("purchases.id"))
    granted: Mapped[float] = mapped_column(Float, default=now)


class RevenueEntry(Base):
    __tablename__ = "revenue_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    txn: Mapped[str] = mapped_column(String(32), index=True)
    # clearing | platform | developer:<id>
    account: Mapped[str] = mapped_column(String(48), index=True)
    amount: Mapped[int] = mapped_column(Integer)  # signed; a transaction's entries sum to 0
    kind: Mapped[str] = mapped_column(String(8))  # sale | refund
    purchase_id: Mapped[str] = mapped_column(ForeignKey("purchases.id"), index=True)
    developer_id: Mapped[str] = mapped_column(ForeignKey("developers.id"), index=True)
    rate: Mapped[int] = mapped_column(Integer)  # the platform's percent on this share: 15 | 30
    gross: Mapped[int] = mapped_column(Integer)  # the part of the price at that rate
    at: Mapped[float] = mapped_column(Float, default=now)
    month: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM (UTC)


class Setting(Base):
    __tablename__ = "store_settings"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
