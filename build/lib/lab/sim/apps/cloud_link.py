"""An app's HTTP link to a TOS+ cloud service, through the device's network: with Wi-Fi
off or in airplane mode every call fails as `Offline`, as on a phone. Every POST carries
the Idempotency-Key of the user's action, so retrying it after a lost reply never does it
twice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx


class Offline(Exception):
    """No answer: no network, or the request or its reply was lost."""


class Refused(Exception):
    def __init__(self, status: int, body: dict) -> None:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        super().__init__(error.get("code", "error"))
        self.status = status
        self.code = str(error.get("code", "error"))
        self.message = str(error.get("message", ""))
        self.body = error


class CloudLink:
    def __init__(
        self, endpoint: str, api_key: str, online: Callable[[], bool], timeout: float = 8.0
    ) -> None:
        self._online = online
        self._http = httpx.Client(
            base_url=endpoint, headers={"Authorization": f"Bearer {api_key}"}, timeout=timeout
        )

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, timeout: float | None = None, **params: object) -> dict:
        return self._call("GET", path, params=params, timeout=timeout)

    def post(self, path: str, body: dict | None, key: str) -> dict:
        return self._call("POST", path, json=body or {}, headers={"Idempotency-Key": key})

    @contextmanager
    def stream(self, path: str, headers: dict, **params: object) -> Iterator[httpx.Response]:
        """A streamed GET (a download); a 4xx or 5xx is Refused, no network is Offline."""
        if not self._online():
            raise Offline("no network (Wi-Fi off or airplane mode)")
        try:
            with self._http.stream("GET", path, params=params, headers=headers) as response:
                if response.status_code >= 400:
                    response.read()
                    raise Refused(response.status_code, _json(response))
                yield response
        except httpx.HTTPError as exc:
            raise Offline(str(exc)) from None

    def _call(self, method: str, path: str, timeout: float | None = None, **kwargs) -> dict:
        if not self._online():
            raise Offline("no network (Wi-Fi off or airplane mode)")
        try:
            if timeout is not None:
                kwargs["timeout"] = timeout
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise Offline(str(exc)) from None
        data = _json(response)
        if response.status_code >= 400:
            raise Refused(response.status_code, data)
        return data


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        raise Offline(f"not JSON from the service ({response.status_code})") from None
    return data if isinstance(data, dict) else {}
