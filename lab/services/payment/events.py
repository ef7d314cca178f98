"""Wallet events and the long poll that waits for them: an event is a row written in the
transaction that caused it; waiters are woken after that transaction commits."""

from __future__ import annotations

import json
import threading
import time

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from lab.services.payment.models import WalletEvent

MAX_WAIT = 25.0  # seconds a long poll may hold (below common proxy idle timeouts)


class Hub:
    def __init__(self, db: sessionmaker[Session]) -> None:
        self._db = db
        self._changed = threading.Condition()
        self._version = 0
        event.listen(db, "after_commit", self._committed)

    def _committed(self, session: Session) -> None:
        if session.info.pop("wallet_events", False):
            with self._changed:
                self._version += 1
                self._changed.notify_all()

    def wait(self, wallet_id: str, after: int, timeout: float) -> list[WalletEvent]:
        """Events after id `after`, waiting up to `timeout` s for the first one. Also polls
        every second, for writers in other processes (several sandboxes on one database)."""
        deadline = time.monotonic() + min(timeout, MAX_WAIT)
        while True:
            with self._changed:
                version = self._version
            found = self._since(wallet_id, after)
            left = deadline - time.monotonic()
            if found or left <= 0:
                return found
            with self._changed:
                if self._version == version:
                    self._changed.wait(min(1.0, left))

    def _since(self, wallet_id: str, after: int) -> list[WalletEvent]:
        with self._db() as session:
            query = (
                select(WalletEvent)
                .where(WalletEvent.wallet_id == wallet_id, WalletEvent.id > after)
                .order_by(WalletEvent.id)
                .limit(50)
            )
            return list(session.scalars(query))


def notify(session: Session, wallet_id: str, kind: str, **data: object) -> None:
    session.add(WalletEvent(wallet_id=wallet_id, kind=kind, data=json.dumps(data)))
    session.info["wallet_events"] = True


def view(row: WalletEvent) -> dict:
    return {"id": row.id, "kind": row.kind, "created": row.created, **json.loads(row.data)}
