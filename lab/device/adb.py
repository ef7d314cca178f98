"""The harness's ADB handle on one device: every call bounded by a timeout that covers the
whole operation, every error naming the device and the operation (DeviceLost /
DeviceTimeout / DeviceError), every read bounded in memory."""

from __future__ import annotations

import shlex
import socket
import struct
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import adbutils

from lab.device.errors import DeviceError, DeviceLost, DeviceTimeout
from lab.device.host_protocol import (
    HostProtocolError,
    host_query,
    open_service,
    read_until_closed,
    recv_before,
)
from lab.device.sync import Sync, SyncFailure
from lab.inventory import parse_host_port

T = TypeVar("T")
Command = str | Sequence[str]
OUTPUT_LIMIT = 16 << 20  # per stream of a shell command: more is cut, and says so
READ_LIMIT = 256 << 20  # read_file / exec_out
_LOST_WORDS = (
    "not found",
    "offline",
    "closed",
    "refused",
    "reset",
    "broken pipe",
    "unauthorized",
    "no devices",
    "device still",
    "connection",
    "unreachable",  # the network to a remote adb server is gone
    "no route to host",
)


def quote(command: Command) -> str:
    """An argv list as one device-shell command line (POSIX quoting, as mksh reads it)."""
    if isinstance(command, str):
        return command
    return " ".join(shlex.quote(str(arg)) for arg in command)


Fence = Callable[[str], None]  # called with an operation's name before it; raises to refuse


def _unfenced(operation: str) -> None:
    """No lease to check (a device used outside a run)."""


class FencedDevice(adbutils.AdbDevice):
    """An adbutils device whose every connection to the device first passes `before` (a
    lease's fencing check): code that reaches past the harness to the raw device
    (uiautomator2's objects, a rig's socket) cannot act on a device whose lease is gone."""

    before: Callable[[str], None] = staticmethod(_unfenced)

    def open_transport(self, command: str | None = None, **options: Any) -> adbutils.AdbConnection:
        self.before(f"adb {command or 'connection'}")
        return super().open_transport(command, **options)


@dataclass(frozen=True)
class ShellResult:
    exit_code: int
    stdout: str
    stderr: str
    truncated: bool = False  # the output went past OUTPUT_LIMIT and was cut

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


class Adb:
    def __init__(self, device_id: str, serial: str, server: str, timeout: float = 30.0) -> None:
        self.device_id = device_id
        self.serial = serial
        self.server = server
        self.timeout = timeout
        self.host, self.port = parse_host_port(server)
        self.client = adbutils.AdbClient(host=self.host, port=self.port, socket_timeout=timeout)
        # called before every operation (a lease's fencing check can refuse it there)
        self.before_operation: Fence = _unfenced
        self.device = FencedDevice(self.client, serial=serial)
        self.device.before = lambda operation: self.before_operation(operation)

    # -- error mapping
    @contextmanager
    def _operation(self, operation: str, timeout: float) -> Iterator[None]:
        self.before_operation(operation)
        try:
            yield
        except (TimeoutError, adbutils.AdbTimeout):
            raise DeviceTimeout(
                self.device_id,
                operation,
                f"no answer within {timeout:g} s",
                hint="is the device hung? see its console log",
            ) from None
        except SyncFailure as exc:
            raise DeviceError(self.device_id, operation, str(exc)) from None
        except (HostProtocolError, adbutils.AdbError, OSError) as exc:
            text = str(exc) or type(exc).__name__
            kind = DeviceLost if any(w in text.lower() for w in _LOST_WORDS) else DeviceError
            raise kind(self.device_id, operation, text) from None

    # -- shell
    def shell(
        self, command: Command, timeout: float | None = None, check: bool = False
    ) -> ShellResult:
        """Run `command` (a command line, or an argv list quoted for the device's shell)
        with shell v2: real exit code, stdout and stderr apart."""
        line = quote(command)
        limit = timeout or self.timeout
        operation = f"shell {line!r}"
        with self._operation(operation, limit):
            deadline = time.monotonic() + limit
            sock = open_service(self.host, self.port, self.serial, f"shell,v2,raw:{line}", limit)
            with sock:  # stdin stays open: v2 frames it, and closing would end the command
                result = _read_v2(sock, deadline)
        if result is None:
            raise DeviceLost(self.device_id, operation, "the stream closed before the exit code")
        if check and result.exit_code != 0:
            raise DeviceError(
                self.device_id, operation, f"exit {result.exit_code}: {result.stderr.strip()[:500]}"
            )
        return result

    def exec_out(self, command: Command, timeout: float | None = None) -> bytes:
        """Raw stdout of `exec:command` (binary-safe, e.g. screencap -p)."""
        line = quote(command)
        limit = timeout or self.timeout
        with self._operation(f"exec-out {line!r}", limit):
            deadline = time.monotonic() + limit
            with open_service(self.host, self.port, self.serial, f"exec:{line}", limit) as sock:
                return read_until_closed(sock, deadline, limit=READ_LIMIT)

    def getprop(self, name: str, timeout: float | None = None) -> str:
        return self.shell(["getprop", name], timeout=timeout).stdout.strip()

    # -- files and packages: one deadline for the whole transfer
    def push(self, local: str | Path, remote: str, timeout: float | None = None) -> None:
        limit = timeout or self.timeout
        with self._operation(f"push {local} -> {remote}", limit):
            deadline = time.monotonic() + limit
            with Sync(self.host, self.port, self.serial, deadline) as sync:
                sync.push(Path(local), remote)

    def pull(self, remote: str, local: str | Path, timeout: float | None = None) -> None:
        limit = timeout or self.timeout
        with self._operation(f"pull {remote}", limit):
            deadline = time.monotonic() + limit
            with Sync(self.host, self.port, self.serial, deadline) as sync:
                sync.pull(remote, Path(local))

    def read_file(
        self, remote: str, timeout: float | None = None, limit: int = READ_LIMIT
    ) -> bytes:
        seconds = timeout or self.timeout
        with self._operation(f"read {remote}", seconds):
            deadline = time.monotonic() + seconds
            with Sync(self.host, self.port, self.serial, deadline) as sync:
                return sync.read(remote, limit)

    def install(self, apk: str | Path, timeout: float | None = None) -> None:
        """`adb install`: the APK streamed to `cmd package install -S SIZE`, as the adb CLI
        does with the `cmd` feature; a refusal raises with Android's failure code."""
        path = Path(apk)
        limit = timeout or self.timeout
        operation = f"install {path.name}"
        with self._operation(operation, limit):
            deadline = time.monotonic() + limit
            size = path.stat().st_size
            service = f"exec:cmd package install -S {size}"
            with open_service(self.host, self.port, self.serial, service, limit) as sock:
                with open(path, "rb") as handle:
                    while chunk := handle.read(1 << 16):
                        sock.settimeout(max(0.001, deadline - time.monotonic()))
                        sock.sendall(chunk)
                answer = read_until_closed(sock, deadline, limit=1 << 16).decode(errors="replace")
        if "Success" not in answer:
            raise DeviceError(self.device_id, operation, answer.strip() or "no answer")

    def uninstall(self, package: str, timeout: float | None = None) -> None:
        result = self.shell(["pm", "uninstall", package], timeout=timeout)
        if "Success" not in result.stdout:
            raise DeviceError(self.device_id, f"uninstall {package}", result.stdout.strip())

    def packages(self) -> list[str]:
        lines = self.shell(["pm", "list", "packages"]).stdout.splitlines()
        return [line.removeprefix("package:") for line in lines if line.startswith("package:")]

    def state(self, timeout: float = 5.0) -> str:
        """device / offline / unauthorized / absent, as the adb server sees it."""
        with self._operation("get state", timeout):
            listing = host_query(self.host, self.port, "host:devices", timeout)
        for line in listing.splitlines():
            serial, _, state = line.partition("\t")
            if serial == self.serial:
                return state.strip()
        return "absent"

    # -- boot
    def wait_boot(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            try:
                left = max(1.0, min(5.0, deadline - time.monotonic()))
                if self.getprop("sys.boot_completed", timeout=left) == "1":
                    return
            except DeviceError as exc:
                last = exc.detail
            time.sleep(0.2)
        raise DeviceTimeout(
            self.device_id,
            "wait for boot",
            f"sys.boot_completed not 1 after {timeout:g} s {last}".strip(),
        )

    def reboot(self, timeout: float = 120.0) -> None:
        with (
            self._operation("reboot", 10),
            open_service(self.host, self.port, self.serial, "reboot:", 10) as sock,
        ):
            read_until_closed(sock, time.monotonic() + 10)
        time.sleep(0.3)  # the transport goes down; the server reconnects network devices
        self.wait_boot(timeout)


def _read_v2(sock: socket.socket, deadline: float) -> ShellResult | None:
    """Shell v2 packets until the exit code; each stream kept up to OUTPUT_LIMIT bytes."""
    streams = {1: bytearray(), 2: bytearray()}
    cut = {1: 0, 2: 0}
    buffer = bytearray()
    while True:
        chunk = recv_before(sock, deadline)
        if not chunk:
            return None
        buffer += chunk
        while len(buffer) >= 5:
            kind, length = struct.unpack_from("<BI", buffer)
            if len(buffer) < 5 + length:
                break
            data = bytes(buffer[5 : 5 + length])
            del buffer[: 5 + length]
            if kind in streams:
                room = OUTPUT_LIMIT - len(streams[kind])
                streams[kind] += data[:room]
                cut[kind] += max(0, len(data) - room)
            elif kind == 3:
                texts = {}
                for stream, kept in streams.items():
                    text = kept.decode(errors="replace")
                    if cut[stream]:
                        text += f"\n[{cut[stream]} bytes cut: over {OUTPUT_LIMIT} bytes]"
                    texts[stream] = text
                return ShellResult(
                    data[0] if data else 255, texts[1], texts[2], truncated=any(cut.values())
                )
