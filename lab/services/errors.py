"""Errors as every service answers them: a 4xx JSON body naming the field, what was
expected and what came, never a traceback; `{"error": {type, code, param, message}}`
(Stripe's shape)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("service")


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, param: str | None = None, **extra: object
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.param = param
        self.extra = extra

    def body(self) -> dict:
        kind = "invalid_request_error" if self.status < 500 else "api_error"
        error: dict[str, object] = {"type": kind, "code": self.code, "message": self.message}
        if self.param:
            error["param"] = self.param
        error.update(self.extra)
        return {"error": error}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status)


def _field(location: tuple) -> str:
    """`body.amount` -> `amount`; `query.wait` -> `wait`."""
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0]
    field = _field(tuple(first.get("loc", ())))
    given = first.get("input")
    shown = "" if isinstance(given, dict) or field == "body" else f"; found {given!r}"
    message = f"{field}: {first.get('msg', 'invalid')}{shown}"
    if first.get("type") == "json_invalid":
        message, field = "the body is not valid JSON", "body"
    elif first.get("type") == "missing":
        message = f"{field}: required"
    return ApiError(400, "parameter_invalid", message, param=field).response()


def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    codes = {404: "resource_missing", 405: "method_not_allowed"}
    code = codes.get(exc.status_code, "http_error")
    return ApiError(exc.status_code, code, str(exc.detail)).response()


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return ApiError(500, "internal", "the service failed; its log has the details").response()


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, lambda request, exc: exc.response())  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
