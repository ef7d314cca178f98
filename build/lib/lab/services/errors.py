"""Errors as every service answers them: a 4xx JSON body naming the field, what was
expected and what came, never a traceback; `{"error": {type, code, param, message}}`
(Stripe's shape). What came is shown only for fields that hold no secret: a field marked
`SECRET` in its schema (a PIN, a card number, a payment code) and a field the schema does
not know (a misspelt `pinn` still holds the PIN) are named, never echoed."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("service")
# a schema field's `json_schema_extra`: its value is never shown back (OpenAPI shows it)
SECRET = {"x-secret": True}
SHOWN = 40  # characters of a refused value shown at most


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


def _secret_fields(app: FastAPI) -> frozenset[str]:
    """The names of the fields marked SECRET in the app's request schemas (read from its
    OpenAPI document, where the mark shows as `x-secret`)."""
    names = set()
    schemas = app.openapi().get("components", {}).get("schemas", {})
    for schema in schemas.values():
        for name, prop in schema.get("properties", {}).items():
            variants = [prop, *prop.get("anyOf", [])]  # `Pin | None` marks its variant
            if any(variant.get("x-secret") for variant in variants):
                names.add(name)
    return frozenset(names)


def _shown(request: Request, error: dict, field: str) -> str:
    given = error.get("input")
    secret = request.app.state.secret_fields
    leaf = field.rsplit(".", 1)[-1]
    if (
        isinstance(given, (dict, list))
        or field == "body"
        or leaf in secret
        or error.get("type") == "extra_forbidden"
    ):
        return ""
    text = repr(given)
    return f"; found {text if len(text) <= SHOWN else text[:SHOWN] + '...'}"


def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0]
    field = _field(tuple(first.get("loc", ())))
    message = f"{field}: {first.get('msg', 'invalid')}{_shown(request, first, field)}"
    if first.get("type") == "json_invalid":
        message, field = "the body is not valid JSON", "body"
    elif first.get("type") == "missing":
        message = f"{field}: required"
    return ApiError(400, "parameter_invalid", message, param=field).response()


def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    codes = {404: "resource_missing", 405: "method_not_allowed", 413: "request_too_large"}
    code = codes.get(exc.status_code, "http_error")
    param = "body" if exc.status_code == 413 else None  # the body over its cap (lab/web)
    return ApiError(exc.status_code, code, str(exc.detail), param=param).response()


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return ApiError(500, "internal", "the service failed; its log has the details").response()


def install(app: FastAPI) -> None:
    """The handlers; call it after the routers are included (it reads their schemas)."""
    app.state.secret_fields = _secret_fields(app)
    app.add_exception_handler(ApiError, lambda request, exc: exc.response())  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
