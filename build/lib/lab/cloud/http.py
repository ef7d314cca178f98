"""One HTTP call to a service, bounded and safe to retry: every POST carries an
Idempotency-Key, and a retry after a transport error sends the same key, so the service
executes it once whatever happened to the first attempt (rule 4: never repeat an action
that may already have happened, except under a key that makes it harmless)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx

from lab.errors import Category, LabError, ProductFailure
from lab.redaction import redact


class ServiceUnreachable(LabError):
    """The service did not answer (down, or the network between)."""

    category = Category.LAB_INFRASTRUCTURE


class ApiRefused(ProductFailure):
    """The service answered with an error (4xx/5xx): what it said, never the request body."""

    def __init__(self, method: str, path: str, status: int, body: dict) -> None:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        self.status = status
        self.code = str(error.get("code", "unknown"))
        self.param = error.get("param")
        self.body = body
        message = redact(str(error.get("message", body)))
        super().__init__(f"{method} {path}: {status} {self.code}: {message}")


class Client:
    def __init__(self, url: str, key: str, timeout: float = 10.0, attempts: int = 3) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {key}"}, timeout=timeout
        )
        self.attempts = attempts

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, **params: Any) -> dict:
        return self._call("GET", path, None, params or None, None)

    def get_bytes(self, path: str, timeout: float | None = None, **params: Any) -> bytes:
        """A GET whose answer is a file (an APK, a CSV), not JSON; refused like the rest."""
        failure: Exception | None = None
        for attempt in range(self.attempts):
            try:
                response = self._http.get(
                    path, params=params or None, timeout=timeout or self._http.timeout
                )
            except httpx.TransportError as exc:  # a GET is safe to ask again
                failure = exc
                time.sleep(0.2 * (attempt + 1))
                continue
            if response.status_code >= 400:
                try:
                    data = response.json()
                except ValueError:
                    data = {"error": {"code": "not_json", "message": response.text[:200]}}
                raise ApiRefused("GET", path, response.status_code, data)
            return response.content
        raise ServiceUnreachable(
            f"GET {self.url}{path}: no answer after {self.attempts} attempts ({failure})",
            hint="is the service up? `lab services status`",
        )

    def post(self, path: str, body: dict | None = None, key: str | None = None) -> dict:
        """POST once, whatever the retries: the same Idempotency-Key on every attempt."""
        return self._call("POST", path, body or {}, None, key or str(uuid.uuid4()))

    def delete(self, path: str) -> dict:
        return self._call("DELETE", path, None, None, None)

    def upload(self, path: str, data: bytes, content_type: str, key: str | None = None) -> dict:
        """POST raw bytes (an APK, say), once, whatever the retries."""
        return self._call("POST", path, None, None, key or str(uuid.uuid4()), (data, content_type))

    def _call(
        self,
        method: str,
        path: str,
        body: dict | None,
        params: dict | None,
        key: str | None,
        content: tuple[bytes, str] | None = None,
    ) -> dict:
        headers = {"Idempotency-Key": key} if key else {}
        if content is not None:
            headers["Content-Type"] = content[1]
        failure: Exception | None = None
        for attempt in range(self.attempts):
            try:
                response = self._http.request(
                    method,
                    path,
                    json=body,
                    params=params,
                    headers=headers,
                    content=content[0] if content else None,
                )
            except httpx.TransportError as exc:  # may or may not have reached the service
                failure = exc
                if method != "GET" and key is None:
                    break  # without a key a retry could do it twice
                time.sleep(0.2 * (attempt + 1))
                continue
            try:
                data = response.json()
            except ValueError:
                data = {"error": {"code": "not_json", "message": response.text[:200]}}
            if response.status_code >= 400:
                raise ApiRefused(method, path, response.status_code, data)
            return data
        raise ServiceUnreachable(
            f"{method} {self.url}{path}: no answer after {self.attempts} attempts ({failure})",
            hint="is the service up? `lab services status`",
        )
