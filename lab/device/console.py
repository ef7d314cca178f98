"""The device's serial console: a reader thread logs every byte to a per-device file and
feeds an expect buffer; timeouts show the tail of what was seen and where the log is."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

import serial

from lab.device.errors import DeviceError, DeviceTimeout
from lab.device.steps import step
from lab.inventory.schema import DEFAULT_CONSOLE_PROMPT
from lab.redaction import SECRETS
from lab.threads import background

_BUFFER_LIMIT = 1 << 20


_STATUS = re.compile(rb"LAB_RC:(\d+)")
# A printk line ("[   15.013035] healthd: ...") that the kernel wrote to the console while
# a command ran: a real console interleaves them with the shell's output, at a line's start
# or in the middle of one, so `run` takes them out of the answer (the log keeps them).
_KERNEL_LINE = re.compile(r"\[\s*\d+\.\d+\] [^\n]*\n")


def serial_port(url: str, baud: int, timeout: float, write_timeout: float) -> serial.Serial:
    """An open serial port by URL (a path, pty, rfc2217://, socket://). pyserial's RFC 2217
    client refuses a write timeout; its writes go to a socket with its own timeout."""
    extra = {} if url.startswith("rfc2217://") else {"write_timeout": write_timeout}
    port = serial.serial_for_url(url, baudrate=baud, timeout=timeout, do_not_open=True, **extra)
    port.open()
    return port


class Console:
    def __init__(
        self,
        device_id: str,
        url: str,
        baud: int,
        log_path: Path,
        open_timeout: float = 10.0,
        prompt: str = DEFAULT_CONSOLE_PROMPT,
        before_send: Callable[[str], None] | None = None,
    ) -> None:
        """`before_send(operation)`: a lease's fencing check, as on Adb (reading what the
        device prints acts on nothing; writing to it does)."""
        self.device_id = device_id
        self._before_send = before_send
        self.url = url
        self.log_path = log_path
        self.prompt = prompt
        log_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._port = serial_port(url, baud, timeout=0.1, write_timeout=open_timeout)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceError(device_id, f"open console {url}", str(exc)) from None
        self._log = open(log_path, "ab", buffering=0)  # noqa: SIM115 - closed in close()
        self._pending = bytearray()  # the console log's unfinished line
        self._lock = threading.Condition()
        self._buffer = bytearray()
        self._dropped = 0  # bytes trimmed off the front of the buffer
        self._cursor = 0  # absolute position where the next expect starts
        self._stop = threading.Event()
        self._reader = background(self._read_loop, name=f"console-{device_id}")
        self._reader.start()

    def _read_loop(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._port.read(4096)
            except (serial.SerialException, OSError, TypeError):
                time.sleep(0.2)  # unplugged or the device rebooting its UART: keep trying
                continue
            if not data:
                continue
            self._write_log(data)
            with self._lock:
                self._buffer += data
                if len(self._buffer) > _BUFFER_LIMIT:
                    cut = len(self._buffer) - _BUFFER_LIMIT
                    del self._buffer[:cut]
                    self._dropped += cut
                self._lock.notify_all()

    def _write_log(self, data: bytes) -> None:
        """The console log file gets whole lines, redacted (a secret never reaches disk
        split in two where redaction could not see it)."""
        self._pending += data
        cut = self._pending.rfind(b"\n") + 1
        if cut == 0 and len(self._pending) < 4096:
            return
        cut = cut or len(self._pending)
        lines, self._pending = bytes(self._pending[:cut]), self._pending[cut:]
        self._log.write(SECRETS.redact_bytes(lines))

    @property
    def position(self) -> int:
        """Absolute count of bytes received so far (marks a span for `since`)."""
        with self._lock:
            return self._dropped + len(self._buffer)

    def since(self, position: int) -> bytes:
        with self._lock:
            return bytes(self._buffer[max(0, position - self._dropped) :])

    @step("console send {text}")
    def send(self, text: str, end: str = "\r") -> None:
        if self._before_send is not None:
            self._before_send("console send")
        try:
            self._port.write((text + end).encode())
        except (serial.SerialException, OSError) as exc:
            raise DeviceError(self.device_id, f"console send {text!r}", str(exc)) from None

    @step("console expect {pattern}")
    def expect(self, pattern: str | bytes | re.Pattern, timeout: float = 10.0) -> re.Match:
        """Wait for `pattern` after the previous match; DeviceTimeout shows what came."""
        regex = (
            pattern
            if isinstance(pattern, re.Pattern)
            else re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        )
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                start = max(0, self._cursor - self._dropped)
                match = regex.search(self._buffer, start)
                if match:
                    self._cursor = self._dropped + match.end()
                    return match
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    tail = bytes(self._buffer[start:])[-1500:].decode(errors="replace")
                    raise DeviceTimeout(
                        self.device_id,
                        f"console expect {regex.pattern!r}",
                        f"not seen within {timeout:g} s; last output:\n{tail}",
                        hint=f"full console log: {self.log_path}",
                    )
                self._lock.wait(remaining)

    @step("console run {command}")
    def run(
        self,
        command: str,
        timeout: float = 10.0,
        prompt: str | None = None,
        kernel_messages: bool = False,
    ) -> str:
        """Send a command to the console's shell, wait for its prompt, return what it
        printed (without the echoed command line, and without the kernel's messages that
        came meanwhile unless `kernel_messages`)."""
        self.expect_clear()
        self.send(command)
        start = self._cursor
        match = self.expect(prompt or self.prompt, timeout)
        with self._lock:
            text = bytes(self._buffer[max(0, start - self._dropped) : match.start()]).decode(
                errors="replace"
            )
        text = text.replace("\r", "")
        if not kernel_messages:
            text = _KERNEL_LINE.sub("", text)
        lines = text.split("\n")
        return "\n".join(lines[1:] if lines and command in lines[0] else lines).strip()

    def run_status(self, command: str, timeout: float = 10.0) -> tuple[int, str]:
        """(exit status, output) of `command` in the console's shell. The status comes
        from a marker the echoed command line cannot match (it is split in two there)."""
        output = self.run(f"{command}; echo LAB_''RC:$?", timeout)
        found = list(_STATUS.finditer(output.encode()))
        if not found:
            raise DeviceError(
                self.device_id,
                f"console run {command!r}",
                f"no exit status in what the console printed:\n{output[-500:]}",
            )
        status = int(found[-1].group(1))
        return status, output[: output.rfind("LAB_RC:")].rstrip("\n")

    def expect_clear(self) -> None:
        """Forget what came so far: the next expect only sees new output."""
        with self._lock:
            self._cursor = self._dropped + len(self._buffer)

    def close(self) -> None:
        self._stop.set()
        # wake the reader now instead of after its read timeout
        with contextlib.suppress(AttributeError, OSError, serial.SerialException):
            self._port.cancel_read()
        self._reader.join(1.0)
        try:
            self._port.close()
        finally:
            if self._pending:
                self._log.write(SECRETS.redact_bytes(bytes(self._pending)))
            self._log.close()
