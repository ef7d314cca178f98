"""A cap on every request body, applied before routing and before the caller is known: a
body over its route's cap is refused with 413, from its Content-Length when it gives one
(before the app runs at all), else as soon as the bytes received pass the cap; nothing
past the cap is ever held. FastAPI reads a JSON body whole before its dependencies run
(the API key or token check among them), so without a cap an anonymous client could make
a server hold any amount.

Starlette has a body limit too (FastAPI's `max_body_size`), but it lets the app run and
only swaps its answer for a plain-text "Content Too Large"; the lab's servers promise a
JSON error naming the field, and a declared length over the cap is refused here before
any route, dependency or fault rule sees the request."""

from __future__ import annotations

import fnmatch
import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

JSON_BODY = 256 << 10  # the largest JSON body a route takes is a few KiB


class BodyTooLarge(HTTPException):
    """Raised from the body stream itself: FastAPI lets an HTTPException through where it
    turns any other error of reading the body into a 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"body: larger than the {limit} bytes this route takes")


class BodyLimit:
    def __init__(
        self, app: ASGIApp, default: int = JSON_BODY, larger: dict[str, int] | None = None
    ) -> None:
        """`larger`: the routes (path globs) that take more, and their caps."""
        self.app = app
        self.default = default
        self.larger = larger or {}

    def limit_for(self, path: str) -> int:
        for pattern, limit in self.larger.items():
            if fnmatch.fnmatchcase(path, pattern):
                return limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(send, limit, declared.isdigit())
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


async def _refuse(send: Send, limit: int, too_large: bool) -> None:
    if too_large:
        status, code, param = 413, "request_too_large", "body"
        message = f"body: larger than the {limit} bytes this route takes"
    else:
        status, code, param = 400, "parameter_invalid", "Content-Length"
        message = "Content-Length: not a number of bytes"
    error = {"type": "invalid_request_error", "code": code, "message": message, "param": param}
    body = json.dumps({"error": error}, separators=(",", ":")).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
