"""The wallet's HTTP link to the payment sandbox, through the device's network: with Wi-Fi
off or in airplane mode every call fails as `Offline`, as on a phone. Every POST carries
the Idempotency-Key of the user's action, so retrying it after a lost reply never pays
twice."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from lab.sim.apps.wallet.config import WalletConfig


class Offline(Exception):
    """No answer: no network, or the request or its reply was lost."""


class Refused(Exception):
    def __init__(self, status: int, body: dict) -> None:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        super().__init__(error.get("code", "error"))
        self.status = status
        self.code = str(error.get("code", "error"))
        self.body = error


class SandboxLink:
    def __init__(self, config: WalletConfig, online: Callable[[], bool], timeout: float = 8.0):
        self._online = online
        self._http = httpx.Client(
            base_url=config.endpoint,
            headers={"Authorization": f"Bearer {config.api_key}"},
            timeout=timeout,
        )

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, timeout: float | None = None, **params: object) -> dict:
        return self._call("GET", path, params=params, timeout=timeout)

    def post(self, path: str, body: dict | None, key: str) -> dict:
        return self._call("POST", path, json=body or {}, headers={"Idempotency-Key": key})

    def _call(self, method: str, path: str, timeout: float | None = None, **kwargs) -> dict:
        if not self._online():
            raise Offline("no network (Wi-Fi off or airplane mode)")
        try:
            if timeout is not None:
                kwargs["timeout"] = timeout
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise Offline(str(exc)) from None
        try:
            data = response.json()
        except ValueError:
            raise Offline(f"not JSON from the sandbox ({response.status_code})") from None
        if response.status_code >= 400:
            raise Refused(response.status_code, data)
        return data
