"""One engine per service: SQLite (WAL, a write transaction that takes the lock at BEGIN)
or any SQLAlchemy URL (postgresql://...).

SQLite stores a string of any length in a VARCHAR(n); PostgreSQL refuses it. So that the
SQLite path never hides what PostgreSQL would refuse, every flush checks each string
against its column's length (`too_long`), on every database: a value made by the service
(a memo from a description) must be fitted (`fit`), and one a client sent must have been
refused with a 400 naming its field long before."""

from __future__ import annotations

import secrets
import time

from sqlalchemy import Engine, String, create_engine, event, inspect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    pass


def new_id(prefix: str) -> str:
    """A row id that says what it is: `ch_5f0c...`."""
    return f"{prefix}_{secrets.token_hex(10)}"


def now() -> float:
    return time.time()


# How a row is locked for a change: FOR NO KEY UPDATE on PostgreSQL (a no-op on SQLite,
# whose writers are serialised). Plain FOR UPDATE would also conflict with the key-share
# lock PostgreSQL takes on a row that a new row's foreign key refers to (a ledger entry's
# account, an event's wallet): two transactions each holding one and inserting toward the
# other deadlock. Rows are locked in one order everywhere: charge, order, wallet, then
# accounts by id (ledger.pair).
LOCK = {"key_share": True}


def fit(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis: for strings the service makes
    itself (a ledger memo), never for what a client sent."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def too_long(row: object) -> list[str]:
    """`table.column (n > limit)` for each string of `row` longer than its column."""
    found = []
    mapper = inspect(row).mapper
    for column in mapper.columns:
        limit = getattr(column.type, "length", None)
        if not isinstance(column.type, String) or not limit:
            continue
        value = getattr(row, mapper.get_property_by_column(column).key, None)
        if isinstance(value, str) and len(value) > limit:
            found.append(f"{mapper.local_table.name}.{column.name} ({len(value)} > {limit})")
    return found


@event.listens_for(Session, "before_flush")
def _lengths(session: Session, _context, _instances) -> None:
    for row in (*session.new, *session.dirty):
        problems = too_long(row)
        if problems:
            raise ValueError(f"a value too long for its column: {', '.join(problems)}")


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


def create_schema(engine: Engine) -> None:
    """The tables, and any index added since a table was made (create_all makes the
    indexes of new tables only)."""
    Base.metadata.create_all(engine)
    for table in Base.metadata.sorted_tables:
        for index in table.indexes:
            index.create(engine, checkfirst=True)


def readers(engine: Engine) -> Engine:
    """The same pool for read-only sessions: on SQLite they BEGIN without the write lock
    (WAL lets them read beside a writer)."""
    return engine.execution_options(read_only=True)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
