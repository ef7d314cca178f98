"""The control socket of a running virtual device: fault knobs and status, JSON lines
over a Unix socket in the runtime directory."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("control")


class ControlServer:
    def __init__(self, path: Path, handle: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        self.path = path
        self._handle = handle
        if path.exists():
            path.unlink()
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.bind(str(path))
        os.chmod(path, 0o600)
        self._sock.listen(8)

    def serve(self) -> None:
        threading.Thread(target=self._loop, name="control", daemon=True).start()

    def close(self) -> None:
        self._sock.close()
        if self.path.exists():
            self.path.unlink()

    def _loop(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._client, args=(conn,), daemon=True).start()

    def _client(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            try:
                line = conn.makefile("rb").readline(65536)
                request = json.loads(line)
                if not isinstance(request, dict):
                    raise ValueError("a request is a JSON object")
                reply = self._handle(request)
            except Exception as exc:  # a bad request gets an error, the device goes on
                reply = {"ok": False, "error": str(exc)}
            with contextlib.suppress(OSError):
                conn.sendall(json.dumps(reply).encode() + b"\n")


def request(path: Path, payload: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
    """Send one request to a device's control socket; OSError when nobody answers."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(str(path))
        sock.sendall(json.dumps(payload).encode() + b"\n")
        data = sock.makefile("rb").readline(1 << 20)
    return json.loads(data)
