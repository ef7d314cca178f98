"""`shell:` (v1, raw), `shell,v2,...:` (framed: exit codes, stderr, stdin) and `exec:`."""

from __future__ import annotations

import contextlib
import queue
import struct
import threading
from collections.abc import Iterator

from lab.sim.adbd.stream import Stream, StreamClosed, StreamReader
from lab.sim.android.system import AndroidSystem
from lab.sim.sh.proc import BytesInput

STDIN, STDOUT, STDERR, EXIT, CLOSE_STDIN, WINDOW_SIZE = 0, 1, 2, 3, 4, 5
PROMPT = b"tos:/ $ "


class StreamInput:
    """stdin read straight from a raw (v1 / exec) stream."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream

    def read(self, timeout: float | None = None) -> bytes:
        try:
            return self.stream.read(timeout)
        except TimeoutError:
            return b""


class QueueInput:
    """stdin fed by the v2 packet reader."""

    def __init__(self) -> None:
        self.chunks: queue.Queue[bytes] = queue.Queue()

    def read(self, timeout: float | None = None) -> bytes:
        try:
            return self.chunks.get(timeout=timeout)
        except queue.Empty:
            return b""


def raw_shell(system: AndroidSystem, command: str, merge_stderr: bool = True):
    """v1 `shell:CMD` (stderr mixed in) and `exec:CMD` (stdout only, binary-safe)."""

    def run(stream: Stream) -> None:
        system.faults.wait_cleared("stall-shell", stream.gone)
        shell = system.new_shell()
        if not command.strip():
            _interactive(shell, stream, system)
            return
        stderr = stream.write if merge_stderr else (lambda data: None)
        shell.run(command, StreamInput(stream), stream.write, stderr, cancelled=stream.gone)

    return run


def _lines(read, gone) -> Iterator[str]:
    """Typed lines from an interactive session until `exit` or the end of input."""
    buffer = b""
    while not gone.is_set():
        chunk = read()
        if chunk is None:
            continue  # nothing yet (v2 polls)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            text = line.decode(errors="replace").strip()
            if text == "exit":
                return
            yield text


def _interactive(shell, stream: Stream, system: AndroidSystem) -> None:
    stream.write(PROMPT)
    for text in _lines(stream.read, stream.gone):
        if text:
            shell.run(text, BytesInput(), stream.write, stream.write, cancelled=stream.gone)
        stream.write(PROMPT)


def v2_shell(system: AndroidSystem, command: str):
    def run(stream: Stream) -> None:
        lock = threading.Lock()

        def packet(kind: int, data: bytes) -> None:
            with lock:
                stream.write(struct.pack("<BI", kind, len(data)) + data)

        stdin = QueueInput()
        threading.Thread(target=_demux, args=(stream, stdin), daemon=True).start()
        system.faults.wait_cleared("stall-shell", stream.gone)
        shell = system.new_shell()
        if not command.strip():
            status = _interactive_v2(shell, stdin, packet, stream)
        else:
            status = shell.run(
                command,
                stdin,
                lambda d: packet(STDOUT, d),
                lambda d: packet(STDERR, d),
                cancelled=stream.gone,
            )
        with contextlib.suppress(StreamClosed):
            packet(EXIT, bytes([status & 0xFF]))

    return run


def _interactive_v2(shell, stdin: QueueInput, packet, stream: Stream) -> int:
    packet(STDOUT, PROMPT)
    for text in _lines(lambda: stdin.read(0.5) or None, stream.gone):
        if text:
            shell.run(
                text,
                BytesInput(),
                lambda d: packet(STDOUT, d),
                lambda d: packet(STDERR, d),
                cancelled=stream.gone,
            )
        packet(STDOUT, PROMPT)
    return shell.status


def _demux(stream: Stream, stdin: QueueInput) -> None:
    reader = StreamReader(stream)
    try:
        while True:
            kind, length = struct.unpack("<BI", reader.read_exact(5))
            data = reader.read_exact(length) if length else b""
            if kind == STDIN:
                stdin.chunks.put(data)
            elif kind == CLOSE_STDIN:
                stdin.chunks.put(b"")
    except StreamClosed:
        stdin.chunks.put(b"")
