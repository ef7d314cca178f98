"""The harness's ADB handle on one device: every call bounded by a timeout, every error
naming the device and the operation (DeviceLost / DeviceTimeout / DeviceError)."""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import adbutils

from lab.device.errors import DeviceError, DeviceLost, DeviceTimeout
from lab.device.host_protocol import (
    HostProtocolError,
    host_query,
    open_service,
    read_until_closed,
    recv_before,
)
from lab.inventory import parse_host_port

T = TypeVar("T")
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
)


@dataclass(frozen=True)
class ShellResult:
    exit_code: int
    stdout: str
    stderr: str

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
        self.device = self.client.device(serial)

    # -- error mapping
    @contextmanager
    def _operation(self, operation: str, timeout: float) -> Iterator[None]:
        try:
            yield
        except (TimeoutError, adbutils.AdbTimeout):
            raise DeviceTimeout(
                self.device_id,
                operation,
                f"no answer within {timeout:g} s",
                hint="is the device hung? see its console log",
            ) from None
        except (HostProtocolError, adbutils.AdbError, OSError) as exc:
            text = str(exc) or type(exc).__name__
            kind = DeviceLost if any(w in text.lower() for w in _LOST_WORDS) else DeviceError
            raise kind(self.device_id, operation, text) from None

    def _call(self, operation: str, action: Callable[[], T], timeout: float | None = None) -> T:
        with self._operation(operation, timeout or self.timeout):
            return action()

    # -- shell
    def shell(self, command: str, timeout: float | None = None, check: bool = False) -> ShellResult:
        """Run `command` with shell v2: real exit code, stdout and stderr apart."""
        limit = timeout or self.timeout
        operation = f"shell {command!r}"
        with self._operation(operation, limit):
            deadline = time.monotonic() + limit
            sock = open_service(self.host, self.port, self.serial, f"shell,v2,raw:{command}", limit)
            with sock:  # stdin stays open: v2 frames it, and closing would end the command
                result = _read_v2(sock, deadline)
        if result is None:
            raise DeviceLost(self.device_id, operation, "the stream closed before the exit code")
        if check and result.exit_code != 0:
            raise DeviceError(
                self.device_id, operation, f"exit {result.exit_code}: {result.stderr.strip()[:500]}"
            )
        return result

    def exec_out(self, command: str, timeout: float | None = None) -> bytes:
        """Raw stdout of `exec:command` (binary-safe, e.g. screencap -p)."""
        limit = timeout or self.timeout
        with self._operation(f"exec-out {command!r}", limit):
            deadline = time.monotonic() + limit
            with open_service(self.host, self.port, self.serial, f"exec:{command}", limit) as sock:
                return read_until_closed(sock, deadline)

    def getprop(self, name: str, timeout: float | None = None) -> str:
        return self.shell(f"getprop {name}", timeout=timeout).stdout.strip()

    # -- files and packages (adbutils, bounded by its socket timeout)
    def push(self, local: str | Path, remote: str, timeout: float | None = None) -> None:
        self._call(
            f"push {local} -> {remote}", lambda: self.device.sync.push(str(local), remote), timeout
        )

    def pull(self, remote: str, local: str | Path, timeout: float | None = None) -> None:
        self._call(f"pull {remote}", lambda: self.device.sync.pull(remote, str(local)), timeout)

    def read_file(self, remote: str, timeout: float | None = None) -> bytes:
        return self._call(f"read {remote}", lambda: self.device.sync.read_bytes(remote), timeout)

    def install(self, apk: str | Path, timeout: float | None = None) -> None:
        self._call(f"install {apk}", lambda: self.device.install(str(apk), silent=True), timeout)

    def uninstall(self, package: str, timeout: float | None = None) -> None:
        result = self.shell(f"pm uninstall {package}", timeout=timeout)
        if "Success" not in result.stdout:
            raise DeviceError(self.device_id, f"uninstall {package}", result.stdout.strip())

    def packages(self) -> list[str]:
        lines = self.shell("pm list packages").stdout.splitlines()
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
                if self.getprop("sys.boot_completed", timeout=5) == "1":
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
    stdout, stderr = bytearray(), bytearray()
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
            if kind == 1:
                stdout += data
            elif kind == 2:
                stderr += data
            elif kind == 3:
                return ShellResult(
                    data[0] if data else 255,
                    stdout.decode(errors="replace"),
                    stderr.decode(errors="replace"),
                )
