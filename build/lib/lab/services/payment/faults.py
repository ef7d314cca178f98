"""Replies held back after their work is committed: what a client sees when the network
drops a reply (it may retry; its Idempotency-Key must make that safe); or requests
refused at once, their work not done (the client must then change nothing). Set by the lab
through POST /v1/admin/faults; an ASGI middleware, so the work itself runs untouched.
A rule may name a caller (a wallet or merchant id): tests running in parallel against one
sandbox then never take or clear each other's faults."""

from __future__ import annotations

import asyncio
import fnmatch
import threading
from dataclasses import dataclass

from fastapi.concurrency import run_in_threadpool

from lab.services.box import ServiceBox
from lab.services.errors import ApiError
from lab.services.principal import identify


@dataclass
class HeldReply:
    path: str  # a glob: /v1/wallet/orders/*/pay
    seconds: float
    count: int
    caller: str | None = None  # only this caller's requests (None: anyone's)
    refuse: int | None = None  # answer with this status at once, the work not done


class HeldReplies:
    def __init__(self, app, box: ServiceBox) -> None:
        self.app = app
        self.box = box
        self.rules: list[HeldReply] = box.held  # type: ignore[attr-defined]
        self._lock = threading.Lock()

    def _take(self, method: str, path: str, caller: str | None) -> HeldReply | None:
        if method != "POST":
            return None
        with self._lock:
            for rule in self.rules:
                if rule.caller is not None and rule.caller != caller:
                    continue
                if rule.count > 0 and fnmatch.fnmatchcase(path, rule.path):
                    rule.count -= 1
                    return rule
        return None

    async def _caller(self, scope) -> str | None:
        """Who sent it, when a rule asks (the Authorization header, as the routes see it)."""
        if not any(rule.caller for rule in self.rules):
            return None
        header = dict(scope.get("headers") or []).get(b"authorization", b"").decode()
        known = self.box.principals.get(header)
        if known is None:

            def look_up():
                with self.box.reads() as session:
                    return identify(session, header, self.box.admin_key, self.box.lookups)

            try:
                known = await run_in_threadpool(look_up)
            except ApiError:
                return None
        return known.id

    async def __call__(self, scope, receive, send) -> None:
        rule = None
        if scope["type"] == "http" and scope.get("method") == "POST" and self.rules:
            rule = self._take("POST", scope.get("path", ""), await self._caller(scope))
        if rule is None:
            await self.app(scope, receive, send)
            return
        if rule.refuse is not None:
            refused = ApiError(rule.refuse, "fault_injected", "refused by a lab fault")
            await refused.response()(scope, receive, send)
            return
        held: list[dict] = []

        async def keep(message: dict) -> None:
            held.append(message)

        await self.app(scope, receive, keep)
        await asyncio.sleep(rule.seconds)
        for message in held:
            await send(message)
