"""The agent's HTTP side: `GET /ping` and `POST /jsonrpc/0`, one request per connection
as the uiautomator2 client makes them, on a socket the tcp: bridge hands over."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import time
from http.server import BaseHTTPRequestHandler

from lab.sim.agent.rpc import AgentMethods, RpcError

log = logging.getLogger("agent")
MAX_BODY = 16 * 1024 * 1024


class AgentServer:
    def __init__(self, methods: AgentMethods) -> None:
        self.methods = methods
        self.running = True

    def accept(self, sock: socket.socket) -> None:
        """Serve one connection (runs in its own thread)."""
        sock.settimeout(60)
        try:
            _Handler(sock, ("device", 0), self)
        except Exception as exc:  # garbage on the port: close this connection, keep serving
            log.warning("agent connection failed: %s", exc)
        finally:
            with contextlib.suppress(OSError):
                sock.close()


class _Handler(BaseHTTPRequestHandler):
    server: AgentServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.0"
    server_version = "UiAutomator2Server/tos"

    def log_message(self, format: str, *args) -> None:
        log.debug(format, *args)

    def do_GET(self) -> None:
        if self.path == "/ping":
            self._reply(200, b"pong", "text/plain")
        elif self.path == "/version":
            self._reply(200, b"2.4.0-tos", "text/plain")
        else:
            self._reply(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if not self.path.startswith("/jsonrpc/0") or length > MAX_BODY:
            self._reply(404 if length <= MAX_BODY else 413, b"bad request", "text/plain")
            return
        raw = self.rfile.read(length)
        request_id = None
        try:
            request = json.loads(raw)
            request_id = request.get("id")
            result = self.server.methods.call(request["method"], request.get("params"))
            body = {"jsonrpc": "2.0", "id": request_id, "result": result}
            faults = self.server.methods.system.faults
            if faults.active("slow-agent"):  # the action is done; the answer comes late
                time.sleep(faults.value("slow-agent", 5.0))
        except RpcError as exc:
            body = {
                "jsonrpc": "2.0",
                "id": request_id,
                "error": {"code": exc.code, "message": exc.message, "data": exc.message},
            }
        except (ValueError, KeyError, AttributeError, TypeError) as exc:
            body = {
                "jsonrpc": "2.0",
                "id": request_id,
                "error": {"code": -32700, "message": f"parse error: {exc}", "data": ""},
            }
        self._reply(200, json.dumps(body).encode(), "application/json")

    def _reply(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
