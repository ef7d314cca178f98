"""The adb server a farm hangs off: started from the adbutils wheel's own binary.

One binary for everything matters: an adb client of another version kills a running server
("adb server version doesn't match this client; killing..."), which would drop every device
of a farm mid-run. So the lab never uses an `adb` found on PATH.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import adbutils

from lab.errors import LabError
from lab.inventory import is_loopback, parse_host_port


def adb_binary() -> str:
    """The adb binary shipped in the adbutils wheel (also exported for adbutils itself)."""
    path = Path(adbutils.__file__).parent / "binaries" / "adb"
    if not path.is_file():
        raise LabError(
            f"the adbutils wheel has no adb binary at {path}",
            hint="reinstall with `make setup` (the manylinux wheel ships adb)",
        )
    os.environ.setdefault("ADBUTILS_ADB_PATH", str(path))
    return str(path)


@dataclass(frozen=True)
class AdbServer:
    """An adb server by address; `timeout` bounds every call to it."""

    address: str = "127.0.0.1:5037"
    timeout: float = 5.0

    @property
    def host(self) -> str:
        return parse_host_port(self.address)[0]

    @property
    def port(self) -> int:
        return parse_host_port(self.address)[1]

    @property
    def is_local(self) -> bool:
        return is_loopback(self.host)

    def reachable(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout):
                return True
        except OSError:
            return False

    def ensure_running(self) -> None:
        """Start a local server if none answers; a remote one must already run."""
        if self.reachable():
            return
        if not self.is_local:
            raise LabError(
                f"adb server {self.address} does not answer",
                hint="serve that host's devices with `lab farm export --advertise ADDR`",
            )
        self.adb("start-server", timeout=30)
        if not self.reachable():
            raise LabError(f"adb server {self.address} did not come up after start-server")

    def client(self) -> adbutils.AdbClient:
        return adbutils.AdbClient(host=self.host, port=self.port, socket_timeout=self.timeout)

    def states(self) -> dict[str, str]:
        """Serial -> state (device, offline, unauthorized, ...) of every attached device."""
        try:
            return {info.serial: info.state for info in self.client().list()}
        except (adbutils.AdbError, OSError) as exc:
            raise LabError(f"adb server {self.address}: listing devices failed: {exc}") from None

    def connect(self, serial: str) -> str:
        """`adb connect` a network device; returns the server's answer."""
        return self.adb("connect", serial, timeout=self.timeout + 5).strip()

    def reconnect(self, serial: str) -> str:
        """Drop a stale entry (an "offline" one answers "already connected"), connect."""
        with contextlib.suppress(LabError):  # it was not attached at all
            self.disconnect(serial)
        return self.connect(serial)

    def disconnect(self, serial: str) -> str:
        return self.adb("disconnect", serial, timeout=self.timeout + 5).strip()

    def adb(self, *args: str, timeout: float = 30.0) -> str:
        """Run the adb CLI against this server; output on success, LabError otherwise."""
        # adb refuses to start a server when given -H, even for 127.0.0.1
        where = ["-P", str(self.port)] if self.is_local else ["-H", self.host, "-P", str(self.port)]
        command = [adb_binary(), *where, *args]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise LabError(
                f"adb {' '.join(args)} on server {self.address} timed out after {timeout:.0f} s"
            ) from None
        if done.returncode != 0:
            raise LabError(
                f"adb {' '.join(args)} on server {self.address} failed "
                f"(exit {done.returncode}): {(done.stderr or done.stdout).strip()}"
            )
        return done.stdout
