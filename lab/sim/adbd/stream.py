"""One ADB stream: a service's two-way pipe to the host, with adb's flow control.

Without delayed ack there is one WRTE in flight per stream: we wait for the host's OKAY
before the next. Incoming WRTEs are acknowledged only when the service has read them, which
is the back-pressure the host expects.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Protocol

from lab.sim.adbd.packet import A_CLSE, A_OKAY, A_WRTE


class Link(Protocol):
    """What a stream needs of its transport (transport.py's Transport is one)."""

    max_payload: int

    def send(self, command: int, arg0: int, arg1: int, data: bytes = b"") -> None: ...
    def forget(self, local_id: int) -> None: ...


# Without delayed ack the host sends one WRTE and waits for our OKAY: a few queued ones
# are tolerated (late OKAYs in flight), a flood is a broken host and memory would grow.
MAX_UNACKED = 4


class StreamClosed(Exception):
    """The host closed the stream (or the transport went away)."""


class Stream:
    def __init__(self, transport: Link, local_id: int, remote_id: int, service: str) -> None:
        self.transport = transport
        self.local_id = local_id
        self.remote_id = remote_id
        self.service = service
        self._lock = threading.Condition()
        self._ready = True  # we may send one WRTE right after our OKAY to OPEN
        self._inbox: deque[bytes] = deque()
        self._closed = False
        self._remote_closed = False
        self.gone = threading.Event()  # set when either side closed: commands stop on it

    # -- called by the transport's reader thread
    def on_okay(self) -> None:
        with self._lock:
            self._ready = True
            self._lock.notify_all()

    def on_write(self, data: bytes) -> bool:
        """Queue what the host wrote; False when the host ignores flow control (more
        unacknowledged WRTEs than it may send), which the transport answers with CLSE."""
        with self._lock:
            if len(self._inbox) >= MAX_UNACKED:
                return False
            self._inbox.append(data)
            self._lock.notify_all()
            return True

    def on_remote_close(self) -> None:
        with self._lock:
            self._remote_closed = True
            self._closed = True
            self._lock.notify_all()
        self.gone.set()

    # -- called by the service
    @property
    def closed(self) -> bool:
        return self._closed

    def write(self, data: bytes) -> None:
        """Send `data`, split to the negotiated payload size; raises StreamClosed."""
        view = memoryview(data)
        step = self.transport.max_payload
        for start in range(0, len(view), step):
            with self._lock:
                while not self._ready and not self._closed:
                    self._lock.wait(1.0)
                if self._closed:
                    raise StreamClosed(self.service)
                self._ready = False
            self.transport.send(
                A_WRTE, self.local_id, self.remote_id, bytes(view[start : start + step])
            )

    def read(self, timeout: float | None = None) -> bytes:
        """The next chunk from the host; b"" at end of stream; TimeoutError if none in time."""
        with self._lock:
            if not self._lock.wait_for(lambda: self._inbox or self._closed, timeout):
                raise TimeoutError(self.service)
            if not self._inbox:
                return b""
            data = self._inbox.popleft()
        if not self._closed:
            self.transport.send(A_OKAY, self.local_id, self.remote_id)
        return data

    def wait_closed(self, timeout: float | None = None) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: self._remote_closed or self._closed, timeout)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                self.transport.forget(self.local_id)
                return
            self._closed = True
            self._lock.notify_all()
        self.gone.set()
        self.transport.forget(self.local_id)
        self.transport.send(A_CLSE, self.local_id, self.remote_id)


class StreamReader:
    """Exact-size reads over a stream's chunks (sync and shell v2 framing need them)."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self._buffer = bytearray()

    def read_exact(self, size: int, timeout: float | None = None) -> bytes:
        while len(self._buffer) < size:
            chunk = self.stream.read(timeout)
            if not chunk:
                raise StreamClosed(self.stream.service)
            self._buffer += chunk
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def read_some(self, timeout: float | None = None) -> bytes:
        if self._buffer:
            data = bytes(self._buffer)
            self._buffer.clear()
            return data
        return self.stream.read(timeout)
