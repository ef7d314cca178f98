"""One ADB connection from a host: handshake, optional RSA auth, and its streams."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable

from lab.sim.adbd import auth
from lab.sim.adbd.packet import (
    A_AUTH,
    A_CLSE,
    A_CNXN,
    A_OKAY,
    A_OPEN,
    A_WRTE,
    AUTH_RSAPUBLICKEY,
    AUTH_SIGNATURE,
    AUTH_TOKEN,
    MAX_PAYLOAD,
    SKIP_CHECKSUM,
    VERSION,
    VERSION_MIN,
    Message,
    ProtocolError,
    encode,
    header,
    read_message,
)
from lab.sim.adbd.stream import Stream

log = logging.getLogger("adbd")

# A service runs in its own thread with its stream; None from the opener refuses it.
ServiceOpener = Callable[["Transport", str], Callable[[Stream], None] | None]


class Transport:
    def __init__(
        self,
        sock: socket.socket,
        *,
        banner: Callable[[], bytes],
        open_service: ServiceOpener,
        auth_keys: list | None,
        before_send: Callable[[], None] = lambda: None,
    ) -> None:
        self.sock = sock
        self.peer = "{}:{}".format(*sock.getpeername()[:2])
        self._banner = banner
        self._open_service = open_service
        self._auth_keys = auth_keys  # None: no auth; []: nobody gets in
        self._before_send = before_send
        self._send_lock = threading.Lock()
        self._streams: dict[int, Stream] = {}
        self._streams_lock = threading.Lock()
        self._next_id = 1
        self._token = b""
        self._pending: dict[int, tuple[threading.Event, list[Stream]]] = {}  # our OPENs
        self.version = VERSION  # min(host's, ours), as adbd settles it
        self.max_payload = MAX_PAYLOAD
        self.online = False
        self.closed = threading.Event()
        self.on_close: list[Callable[[], None]] = []

    # -- socket plumbing
    def _recv_exact(self, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return bytes(data)

    def send(self, command: int, arg0: int, arg1: int, data: bytes = b"") -> None:
        if self.closed.is_set():
            return
        self._before_send()
        sums = self.version < SKIP_CHECKSUM
        try:
            with self._send_lock:
                if len(data) > 4096:  # no copy of a large payload just to prepend 24 bytes
                    self.sock.sendall(header(command, arg0, arg1, data, sums))
                    self.sock.sendall(data)
                else:
                    self.sock.sendall(encode(command, arg0, arg1, data, sums))
        except OSError:
            self.close()

    def serve(self) -> None:
        """Read messages until the host goes away or breaks the protocol."""
        try:
            while not self.closed.is_set():
                self._handle(
                    read_message(self._recv_exact, check=lambda: self.version < SKIP_CHECKSUM)
                )
        except ProtocolError as exc:
            log.warning("adb connection from %s: protocol error: %s; closing it", self.peer, exc)
        except (EOFError, OSError):
            pass
        finally:
            self.close()

    def close(self) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        with self._streams_lock:
            streams = list(self._streams.values())
            self._streams.clear()
        for stream in streams:
            stream.on_remote_close()
        for event, _ in list(self._pending.values()):
            event.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        for callback in self.on_close:
            with contextlib.suppress(Exception):
                callback()

    def forget(self, local_id: int) -> None:
        with self._streams_lock:
            self._streams.pop(local_id, None)

    # -- protocol
    def _handle(self, msg: Message) -> None:
        if msg.command == A_CNXN:
            if msg.arg0 < VERSION_MIN:
                raise ProtocolError(f"host protocol version 0x{msg.arg0:08x} is too old")
            self.version = min(msg.arg0, VERSION)
            self.max_payload = max(4096, min(msg.arg1, MAX_PAYLOAD))
            if self._auth_keys is None:
                self._go_online()
            else:
                self._send_token()
        elif msg.command == A_AUTH:
            self._on_auth(msg)
        elif not self.online:
            raise ProtocolError(f"{msg.name} before the connection was accepted")
        elif msg.command == A_OPEN:
            self._on_open(msg)
        elif msg.command in (A_OKAY, A_WRTE, A_CLSE):
            with self._streams_lock:
                stream = self._streams.get(msg.arg1)
                pending = self._pending.pop(msg.arg1, None) if stream is None else None
            if pending is not None:  # the host's answer to an OPEN of ours
                event, answer = pending
                if msg.command == A_OKAY:
                    # registered here, by the reader, before the host's first WRTE is read
                    stream = Stream(self, msg.arg1, msg.arg0, "reverse")
                    with self._streams_lock:
                        self._streams[msg.arg1] = stream
                    answer.append(stream)
                event.set()
                return
            if stream is None:
                return  # late OKAY/CLSE for a stream we already closed: adb does send them
            if msg.command == A_OKAY:
                stream.on_okay()
            elif msg.command == A_WRTE:
                if not stream.on_write(msg.data):
                    log.warning(
                        "adb connection from %s: %s: WRTEs without waiting for OKAY; closing it",
                        self.peer,
                        stream.service,
                    )
                    stream.close()
            else:
                self.forget(msg.arg1)
                stream.on_remote_close()
                # answer the host's CLSE with ours, as adbd does (adb-shell waits for it)
                self.send(A_CLSE, msg.arg1, msg.arg0)
        else:
            log.info("adb connection from %s: ignoring %s", self.peer, msg.name)

    def _go_online(self) -> None:
        self.online = True
        self.send(A_CNXN, self.version, MAX_PAYLOAD, self._banner())

    def open_to_host(self, service: str, timeout: float = 10.0) -> Stream | None:
        """OPEN a stream towards the host (a reverse forward's `tcp:PORT`); None if the
        host refuses or does not answer in time."""
        event: threading.Event = threading.Event()
        answer: list[Stream] = []
        with self._streams_lock:
            local_id = self._next_id
            self._next_id += 1
            self._pending[local_id] = (event, answer)
        self.send(A_OPEN, local_id, 0, service.encode() + b"\0")
        if not event.wait(timeout) or not answer:
            with self._streams_lock:
                self._pending.pop(local_id, None)
            return None
        return answer[0]

    def _send_token(self) -> None:
        self._token = os.urandom(20)
        self.send(A_AUTH, AUTH_TOKEN, 0, self._token)

    def _on_auth(self, msg: Message) -> None:
        keys = self._auth_keys or []
        if msg.arg0 == AUTH_SIGNATURE:
            if self._token and auth.signature_matches(keys, self._token, msg.data):
                self._go_online()
            else:
                self._send_token()  # the host tries its next key, then offers its public key
        elif msg.arg0 == AUTH_RSAPUBLICKEY:
            # A device trusts a key only through a signature of its token. An offered public
            # key asks the user to accept it ("Allow USB debugging?"); nobody does on a
            # virtual device, so the host stays unauthorized, known key or not.
            log.info(
                "adb connection from %s: public key offered without a valid signature; "
                "staying unauthorized",
                self.peer,
            )
        else:
            raise ProtocolError(f"AUTH type {msg.arg0} from a host")

    def _on_open(self, msg: Message) -> None:
        name = msg.data.rstrip(b"\0").decode("utf-8", "replace")
        if msg.arg1 != 0:  # delayed ack asked for but never advertised
            self.send(A_CLSE, 0, msg.arg0)
            return
        try:
            runner = self._open_service(self, name)
        except Exception:  # a broken service must not take the transport down
            log.exception("opening service %r failed", name)
            runner = None
        if runner is None:
            log.info("adb connection from %s: refused service %r", self.peer, name)
            self.send(A_CLSE, 0, msg.arg0)
            return
        with self._streams_lock:
            local_id = self._next_id
            self._next_id += 1
            stream = Stream(self, local_id, msg.arg0, name)
            self._streams[local_id] = stream
        self.send(A_OKAY, local_id, msg.arg0)
        threading.Thread(
            target=self._run, args=(runner, stream), name=f"svc-{name[:24]}", daemon=True
        ).start()

    def _run(self, runner: Callable[[Stream], None], stream: Stream) -> None:
        try:
            runner(stream)
        except Exception as exc:
            if not stream.closed:
                log.exception("service %r failed", stream.service)
            else:
                log.debug("service %r ended with the stream: %s", stream.service, exc)
        finally:
            stream.close()
