"""Replies held back after their work is committed: what a client sees when the network
drops a reply (it may retry; its Idempotency-Key must make that safe). Set by the lab
through POST /v1/admin/faults; an ASGI middleware, so the work itself runs untouched."""

from __future__ import annotations

import asyncio
import fnmatch
import threading
from dataclasses import dataclass


@dataclass
class HeldReply:
    path: str  # a glob: /v1/wallet/orders/*/pay
    seconds: float
    count: int


class HeldReplies:
    def __init__(self, app, rules: list[HeldReply]) -> None:
        self.app = app
        self.rules = rules
        self._lock = threading.Lock()

    def _take(self, method: str, path: str) -> HeldReply | None:
        if method != "POST":
            return None
        with self._lock:
            for rule in self.rules:
                if rule.count > 0 and fnmatch.fnmatchcase(path, rule.path):
                    rule.count -= 1
                    return rule
        return None

    async def __call__(self, scope, receive, send) -> None:
        rule = (
            self._take(scope.get("method", ""), scope.get("path", ""))
            if scope["type"] == "http"
            else None
        )
        if rule is None:
            await self.app(scope, receive, send)
            return
        held: list[dict] = []

        async def keep(message: dict) -> None:
            held.append(message)

        await self.app(scope, receive, keep)
        await asyncio.sleep(rule.seconds)
        for message in held:
            await send(message)
