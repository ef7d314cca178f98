"""One engine per service: SQLite (WAL, a write transaction that takes the lock at BEGIN)
or any SQLAlchemy URL (postgresql://...)."""

from __future__ import annotations

import secrets
import time

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    pass


def new_id(prefix: str) -> str:
    """A row id that says what it is: `ch_5f0c...`."""
    return f"{prefix}_{secrets.token_hex(10)}"


def now() -> float:
    return time.time()


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):  # the driver the project installs (psycopg 3)
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=20)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        # pysqlite opens transactions lazily (at the first write, after reads): two
        # requests could then both read "no such idempotency key" and race. Let SQLAlchemy
        # say BEGIN itself (below), and make it IMMEDIATE: one writer at a time, from the
        # first read (the recipe in SQLAlchemy's pysqlite dialect notes).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; WAL keeps it safe
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        reading = connection.get_execution_options().get("read_only", False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine


def readers(engine: Engine) -> Engine:
    """The same pool for read-only sessions: on SQLite they BEGIN without the write lock
    (WAL lets them read beside a writer)."""
    return engine.execution_options(read_only=True)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
