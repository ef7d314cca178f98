"""Speaking to a device and hearing its answer. A virtual device's microphone and speaker
are one duplex PCM stream over adb (tcp:8554, as the Android emulator exposes its virtual
microphone); a real device has a sound card beside it (lab/rig/soundcard.py), named in
the inventory. Suites call `AudioRig.beside(dut)` and `rig.exchange(...)` either way.

Both directions run in real time, 20 ms at a time, so every sound has a time: the rig
sends the utterance at t0 + n * 20 ms and timestamps what the speaker sends as it comes."""

from __future__ import annotations

import socket
import threading
import time

import adbutils
import numpy as np

from lab.device.dut import Dut
from lab.errors import LabError
from lab.rig.exchange import FRAME, RATE, Audio, AudioUnsupported, Exchange
from lab.rig.soundcard import SoundCardRig
from lab.threads import background

PORT = 8554
HEADER = b"TOSAUDIO 1 s16le 16000 1\n"
BUSY_GRACE = 1.0


class AudioRig(Audio):
    def __init__(self, dut: Dut, sock: socket.socket) -> None:
        self.dut = dut
        self._sock = sock

    @classmethod
    def beside(cls, dut: Dut, timeout: float = 10.0) -> Audio:
        """The device's sound card when the inventory names one, else (a virtual device)
        its audio stream over adb."""
        if dut.info.audio is not None:
            return SoundCardRig(dut, dut.info.audio)
        if not dut.info.virtual:
            raise AudioUnsupported(
                f"{dut.id}: no audio rig: a real device needs the sound card beside it",
                hint="name it in the inventory: audio: {output: ..., input: ...}",
            )
        # a host that just hung up frees the stream a moment later (the device reads its
        # end of stream): a refusal as busy is asked again for BUSY_GRACE seconds
        deadline = time.monotonic() + BUSY_GRACE
        while True:
            sock, header = cls._open(dut, timeout)
            if not header.startswith(b"ERROR busy") or time.monotonic() >= deadline:
                break
            sock.close()
            time.sleep(0.1)
        if header.startswith(b"ERROR"):
            sock.close()
            said = header.decode(errors="replace").strip()
            raise AudioUnsupported(f"{dut.id}: the audio stream refused this host: {said}")
        if header != HEADER:
            sock.close()
            raise AudioUnsupported(f"{dut.id}: the audio stream said {header!r}, not {HEADER!r}")
        return cls(dut, sock)

    @staticmethod
    def _open(dut: Dut, timeout: float) -> tuple[socket.socket, bytes]:
        """The stream's socket and the line the device greets it with."""
        try:
            sock = dut.adb.device.create_connection(adbutils.Network.TCP, PORT)
            sock.settimeout(timeout)
            header = b""
            while not header.endswith(b"\n") and len(header) < 200:
                header += sock.recv(1)
        except (adbutils.AdbError, OSError) as exc:
            raise AudioUnsupported(
                f"{dut.id}: its audio stream (tcp:{PORT}) did not open: {exc}"
            ) from None
        return sock, header

    def close(self) -> None:
        self._sock.close()

    def exchange(
        self,
        utterance: np.ndarray,
        listen: float,
        marks: dict[str, float] | None = None,
        answered_after: float | None = None,
    ) -> Exchange:
        """Play `utterance` into the microphone in real time, then silence for up to
        `listen` seconds, recording the speaker all along. With `answered_after` (seconds
        from the start) the silence ends early, once a sound that began after it and
        lasted ANSWER_LONGER (longer than a listening tone) has been followed by
        QUIET_AFTER seconds of quiet (the answer is over)."""
        total = len(utterance) + int(listen * RATE)
        sent = np.zeros(total + FRAME, dtype=np.int16)
        sent[: len(utterance)] = utterance
        chunks: list[tuple[float, bytes]] = []
        stop = threading.Event()
        reader = background(self._record, name="audio-record", args=(chunks, stop))
        self._drain()
        reader.start()
        t0 = time.monotonic()
        end = total
        try:
            for n, at in enumerate(range(0, total, FRAME)):
                self._sock.sendall(sent[at : at + FRAME].tobytes())
                delay = t0 + (n + 1) * FRAME / RATE - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                checking = answered_after is not None and at > len(utterance) and n % 5 == 0
                if checking and _answered(_align(list(chunks), t0, at), answered_after):
                    end = at + FRAME
                    break
        except OSError as exc:
            raise LabError(f"{self.dut.id}: the audio stream broke: {exc}") from None
        finally:
            stop.set()
            reader.join(timeout=2)
        heard = _align(chunks, t0, end)
        return Exchange(
            sent[:end], heard, {"utterance_end": len(utterance) / RATE, **(marks or {})}
        )

    def stream(self, samples: np.ndarray, pace: float = 1.0) -> float:
        """Play `samples` into the microphone `pace` times faster than real time (a
        recogniser that keeps up hears the same sounds; nothing is timed), the speaker
        ignored. Returns the seconds it took."""
        if pace <= 0:
            raise ValueError("pace: expected a positive factor")
        self._drain()
        t0 = time.monotonic()
        try:
            for n, at in enumerate(range(0, len(samples), FRAME)):
                self._sock.sendall(samples[at : at + FRAME].astype(np.int16).tobytes())
                if n % 25 == 0:
                    self._drain()  # the speaker's stream must not fill the socket
                delay = t0 + (n + 1) * FRAME / RATE / pace - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
        except OSError as exc:
            raise LabError(f"{self.dut.id}: the audio stream broke: {exc}") from None
        return time.monotonic() - t0

    def _drain(self) -> None:
        """Drop what the speaker sent before this exchange."""
        self._sock.settimeout(0.0)
        try:
            while self._sock.recv(65536):
                pass
        except (BlockingIOError, OSError):
            pass
        finally:
            self._sock.settimeout(10.0)

    def _record(self, chunks: list[tuple[float, bytes]], stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                data = self._sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                return
            chunks.append((time.monotonic(), data))


QUIET_AFTER = 0.6
ANSWER_LONGER = 0.3  # seconds: a device's listening tone is shorter, a spoken answer longer


def _answered(heard: np.ndarray, after: float) -> bool:
    """A sound longer than ANSWER_LONGER began after `after`, and QUIET_AFTER seconds of
    quiet followed the last sound."""
    stretches = Exchange(heard, heard, {}).sounds(after)
    if not any(end - start >= ANSWER_LONGER for start, end in stretches):
        return False
    return len(heard) / RATE - stretches[-1][1] >= QUIET_AFTER


def _align(chunks: list[tuple[float, bytes]], t0: float, total: int) -> np.ndarray:
    """The speaker's samples placed at their time from t0: each chunk's last sample was
    sent about when it arrived."""
    heard = np.zeros(total, dtype=np.int16)
    carry = b""
    for arrived, data in chunks:
        data = carry + data
        usable = len(data) - len(data) % 2
        samples, carry = np.frombuffer(data[:usable], dtype=np.int16), data[usable:]
        end = int((arrived - t0) * RATE) + FRAME  # its last frame plays from its arrival
        start = end - len(samples)
        lo, hi = max(start, 0), min(end, total)
        if hi > lo:
            heard[lo:hi] = samples[lo - start : hi - start]
    return heard
