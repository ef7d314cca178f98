"""`reverse:`: `adb reverse` — a port listening on the device whose connections adbd carries
to the host (it OPENs `tcp:PORT` towards the host for each one), as adbd's
handle_forward_request answers on the device: one OKAY on success, then the port of a
newly bound listener (since Android 10's adbd for any port, not only tcp:0, so `adb
reverse tcp:8081 tcp:8081` prints 8081; nothing when an existing one is re-pointed),
FAIL with adbd's messages otherwise. The list names the connection as adbd's TCP
transports are named on the device, `host-<fd>`. Forwards die with their connection.

The device shares the host's loopback, so the listening port is a port on the host's
127.0.0.1 too; a busy one is refused as adbd refuses it ("cannot bind listener").
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import TYPE_CHECKING

from lab.sim.adbd.stream import Stream, StreamClosed

if TYPE_CHECKING:
    from lab.sim.adbd.transport import Transport


def _okay(stream: Stream, text: str | None = None) -> None:
    payload = b"OKAY"
    if text is not None:
        payload += _protocol_string(text)
    stream.write(payload)


def _protocol_string(text: str) -> bytes:
    return f"{len(text.encode()):04x}".encode() + text.encode()


def _fail(stream: Stream, message: str) -> None:
    stream.write(b"FAIL" + f"{len(message.encode()):04x}".encode() + message.encode())


class ReverseForwards:
    """The reverse forwards of one host connection."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.name = f"host-{transport.sock.fileno()}"  # adbd: StringPrintf("host-%d", fd)
        self._listeners: dict[str, tuple[socket.socket, str]] = {}  # local -> (socket, remote)
        self._lock = threading.Lock()
        transport.on_close.append(self.remove_all)

    @classmethod
    def of(cls, transport: Transport) -> ReverseForwards:
        forwards = getattr(transport, "reverse_forwards", None)
        if forwards is None:
            forwards = cls(transport)
            transport.reverse_forwards = forwards  # type: ignore[attr-defined]
        return forwards

    def service(self, command: str):
        def run(stream: Stream) -> None:
            try:
                self._answer(stream, command)
            except StreamClosed:
                pass
            finally:
                stream.close()

        return run

    def _answer(self, stream: Stream, command: str) -> None:
        if command == "list-forward":
            with self._lock:
                lines = "".join(
                    f"{self.name} {local} {remote}\n"
                    for local, (_, remote) in self._listeners.items()
                )
            stream.write(_protocol_string(lines))  # on the device: no OKAY before the list
        elif command == "killforward-all":
            self.remove_all()
            _okay(stream)
        elif command.startswith("killforward:"):
            local = command.removeprefix("killforward:")
            with self._lock:
                entry = self._listeners.pop(local, None)
            if entry is None:
                _fail(stream, f"listener '{local}' not found")
                return
            _close_listener(entry[0])
            _okay(stream)
        elif command.startswith("forward:"):
            self._forward(stream, command.removeprefix("forward:"))
        else:
            _fail(stream, "not a reverse forwarding command")

    def _forward(self, stream: Stream, spec: str) -> None:
        no_rebind = spec.startswith("norebind:")
        spec = spec.removeprefix("norebind:")
        local, _, remote = spec.partition(";")
        if not local or not remote or remote.startswith("*"):
            _fail(stream, f"bad forward: {spec}")
            return
        if not local.startswith("tcp:") or not local[4:].isdigit():
            _fail(stream, f"cannot bind listener: only tcp:PORT listeners on this device ({local})")
            return
        if not remote.startswith("tcp:"):
            _fail(stream, f"cannot bind listener: the host side must be tcp:PORT ({remote})")
            return
        with self._lock:
            existing = self._listeners.get(local)
            if existing and no_rebind:
                _fail(stream, "cannot rebind existing socket")
                return
            if existing:  # rebind: same port, new remote
                self._listeners[local] = (existing[0], remote)
                _okay(stream)
                return
            try:
                listener = socket.create_server(("127.0.0.1", int(local[4:])))
            except OSError as exc:
                _fail(stream, f"cannot bind listener: {exc.strerror}")
                return
            port = listener.getsockname()[1]
            name = f"tcp:{port}"
            self._listeners[name] = (listener, remote)
        threading.Thread(
            target=self._accept, args=(name, listener), daemon=True, name="reverse"
        ).start()
        _okay(stream, str(port))

    def _accept(self, local: str, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                remote = self._listeners.get(local, (None, ""))[1]
            threading.Thread(target=self._carry, args=(client, remote), daemon=True).start()

    def _carry(self, client: socket.socket, remote: str) -> None:
        stream = self.transport.open_to_host(remote) if remote else None
        if stream is None:  # the host refused (nothing listens there): drop the caller
            client.close()
            return

        def host_to_device() -> None:
            try:
                while True:
                    data = stream.read()
                    if not data:
                        break
                    client.sendall(data)
            except (OSError, StreamClosed):
                pass
            finally:
                with contextlib.suppress(OSError):
                    client.shutdown(socket.SHUT_WR)

        threading.Thread(target=host_to_device, daemon=True).start()
        try:
            while True:
                data = client.recv(256 * 1024)
                if not data:
                    break
                stream.write(data)
        except (OSError, StreamClosed):
            pass
        finally:
            stream.close()
            client.close()

    def remove_all(self) -> None:
        with self._lock:
            listeners, self._listeners = list(self._listeners.values()), {}
        for listener, _ in listeners:
            _close_listener(listener)


def _close_listener(listener: socket.socket) -> None:
    with contextlib.suppress(OSError):
        listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
    listener.close()
