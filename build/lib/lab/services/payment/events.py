"""Wallet events and the long poll that waits for them: an event is a row written in the
transaction that caused it; waiters are woken after that transaction commits.

A long poll waits on the event loop, not in a worker thread: a wait holds no thread, so
any number of wallets waiting never stall the service's other routes (a sync route would
hold one of the thread pool's 40 threads for up to MAX_WAIT seconds each)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from lab.services.payment.models import WalletEvent

MAX_WAIT = 25.0  # seconds a long poll may hold (below common proxy idle timeouts)
POLL = 1.0  # seconds between looks for writers in other processes (several sandboxes)


class Hub:
    def __init__(self, db: sessionmaker[Session]) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = set()
        event.listen(db, "after_commit", self._committed)

    def _committed(self, session: Session) -> None:
        """After a commit that wrote events (in a worker thread): wake every waiter."""
        if not session.info.pop("wallet_events", False):
            return
        with self._lock:
            waiters, self._waiters = self._waiters, set()
        for loop, future in waiters:
            loop.call_soon_threadsafe(_settle, future)

    async def wait(self, wallet_id: str, after: int, timeout: float) -> list[WalletEvent]:
        """Events after id `after`, waiting up to `timeout` s for the first one."""
        deadline = time.monotonic() + min(timeout, MAX_WAIT)
        loop = asyncio.get_running_loop()
        while True:
            woken = loop.create_future()
            waiter = (loop, woken)
            with self._lock:  # registered before the look: a commit after it wakes us
                self._waiters.add(waiter)
            try:
                found = await run_in_threadpool(self._since, wallet_id, after)
                left = deadline - time.monotonic()
                if found or left <= 0:
                    return found
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(asyncio.shield(woken), min(POLL, left))
            finally:
                with self._lock:
                    self._waiters.discard(waiter)

    def _since(self, wallet_id: str, after: int) -> list[WalletEvent]:
        with self._db() as session:
            query = (
                select(WalletEvent)
                .where(WalletEvent.wallet_id == wallet_id, WalletEvent.id > after)
                .order_by(WalletEvent.id)
                .limit(50)
            )
            return list(session.scalars(query))


def _settle(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


def notify(session: Session, wallet_id: str, kind: str, **data: object) -> None:
    session.add(WalletEvent(wallet_id=wallet_id, kind=kind, data=json.dumps(data)))
    session.info["wallet_events"] = True


def view(row: WalletEvent) -> dict:
    return {"id": row.id, "kind": row.kind, "created": row.created, **json.loads(row.data)}
