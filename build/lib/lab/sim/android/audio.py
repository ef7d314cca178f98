"""The device's microphone and speaker as one duplex audio stream reached over adb
(`adb forward tcp:N tcp:8554`), as the Android emulator exposes its virtual microphone
and speaker to a host (its gRPC injectAudio / streamAudio).

On connect the device sends one line, `TOSAUDIO 1 s16le 16000 1\\n`; then both ways carry
raw PCM, 16-bit little-endian, 16 kHz, mono. What the host sends is what the microphone
hears, as it arrives; the device sends what its speaker plays, 20 ms every 20 ms by its
clock (silence when it plays nothing), so the host can time every sound by sample count.
One host at a time: a second connection is refused with a line saying so."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections import deque
from collections.abc import Callable

import numpy as np

PORT = 8554
RATE = 16000
FRAME = RATE // 50  # 20 ms
HEADER = b"TOSAUDIO 1 s16le 16000 1\n"
log = logging.getLogger("audio")


class AudioPort:
    def __init__(self) -> None:
        self._listeners: list[Callable[[bytes], None]] = []
        self._queue: deque[np.ndarray] = deque()
        self._lock = threading.Lock()
        self._client: socket.socket | None = None
        self.playing_until = 0.0  # monotonic time the speaker is busy until

    def on_mic(self, listener: Callable[[bytes], None]) -> None:
        """`listener` gets the microphone's PCM as it arrives."""
        self._listeners.append(listener)

    def play(self, samples: np.ndarray) -> float:
        """Queue `samples` (int16, 16 kHz) on the speaker; seconds until they end."""
        with self._lock:
            self._queue.append(samples.astype(np.int16))
            queued = sum(len(chunk) for chunk in self._queue) / RATE
        self.playing_until = max(self.playing_until, time.monotonic()) + len(samples) / RATE
        return queued

    def accept(self, sock: socket.socket) -> None:
        with self._lock:
            if self._client is not None:
                with contextlib.suppress(OSError):
                    sock.sendall(b"ERROR busy: another host holds the audio stream\n")
                sock.close()
                return
            self._client = sock
            self._queue.clear()
        try:
            sock.sendall(HEADER)
            threading.Thread(target=self._hear, args=(sock,), daemon=True, name="mic").start()
            self._speak(sock)
        except OSError:
            pass
        finally:
            with self._lock:
                self._client = None
            with contextlib.suppress(OSError):
                sock.close()

    def _hear(self, sock: socket.socket) -> None:
        pending = b""
        try:
            while chunk := sock.recv(8192):
                pending += chunk
                usable = len(pending) - len(pending) % 2
                data, pending = pending[:usable], pending[usable:]
                for listener in self._listeners:
                    listener(data)
        except OSError:
            pass
        with self._lock:  # the host hung up: the stream is free now, not when _speak notices
            if self._client is sock:
                self._client = None
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def _speak(self, sock: socket.socket) -> None:
        """20 ms of the speaker every 20 ms, by the clock (never drifting ahead)."""
        next_at = time.monotonic()
        while True:
            sock.sendall(self._frame().tobytes())
            next_at += FRAME / RATE
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)

    def _frame(self) -> np.ndarray:
        out = np.zeros(FRAME, dtype=np.int16)
        filled = 0
        with self._lock:
            while filled < FRAME and self._queue:
                chunk = self._queue[0]
                take = min(FRAME - filled, len(chunk))
                out[filled : filled + take] = chunk[:take]
                filled += take
                if take == len(chunk):
                    self._queue.popleft()
                else:
                    self._queue[0] = chunk[take:]
        return out
