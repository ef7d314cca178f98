"""The adb server a farm hangs off: started from the adbutils wheel's own binary.

One binary for everything matters: an adb client of another version kills a running server
("adb server version doesn't match this client; killing..."), which would drop every device
of a farm mid-run. So the lab never uses an `adb` found on PATH.

One start, too: adb's own `start-server` races when several processes run it at once (the
losers print their daemon's start-up log and fail: "could not install *smartsocket*
listener"). The lab starts a server under a file lock in its runtime folder, once, with
adb's output in a log file beside the lock, and records that it did, so `lab sim down`
knows whether the server is the lab's to stop.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import adbutils
import psutil
from filelock import FileLock

from lab.errors import LabError
from lab.inventory import is_loopback, parse_host_port
from lab.runtime import process_identity, runtime_dir, same_process


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

    @property
    def log(self) -> Path:
        """Where adb's start-up output goes (a person sees one line, not adb's log)."""
        return runtime_dir() / f"adb-{self.port}.log"

    def ensure_running(self) -> bool:
        """Start a local server if none answers (True when this call started it); a remote
        one must already run. Starts are serialised across processes by a file lock."""
        if self.reachable():
            return False
        if not self.is_local:
            raise LabError(
                f"adb server {self.address} does not answer",
                hint="serve that host's devices with `lab farm export --advertise ADDR`",
            )
        with FileLock(str(runtime_dir() / f"adb-{self.port}.lock"), timeout=60):
            if self.reachable():
                return False  # another process started it while we waited
            with open(self.log, "ab") as out:
                try:
                    # a session of its own: a Ctrl-C in the terminal that started it (lab
                    # run's, say) must not take the farm's adb server down with the run
                    done = subprocess.run(
                        [adb_binary(), "-P", str(self.port), "start-server"],
                        stdout=out, stderr=out, stdin=subprocess.DEVNULL, timeout=30, check=False,
                        start_new_session=True,
                    )  # fmt: skip
                except subprocess.TimeoutExpired:
                    done = None
            if not self.reachable():
                said = f"exit {done.returncode}" if done else "no answer in 30 s"
                raise LabError(
                    f"adb server {self.address} did not come up ({said})",
                    hint=f"adb's output: {self.log}",
                )
            self._record_ours()
        return True

    def _record_ours(self) -> None:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr.port == self.port and conn.pid:
                record = runtime_dir() / f"adb-{self.port}.json"
                record.write_text(json.dumps(process_identity(conn.pid)))
                return

    def started_by_lab(self) -> bool:
        """Whether the server listening now is the one the lab started."""
        try:
            identity = json.loads((runtime_dir() / f"adb-{self.port}.json").read_text())
        except (OSError, ValueError):
            return False
        return same_process(identity)

    def stop(self) -> None:
        """`adb kill-server` (the lab's own server, when nothing else uses it)."""
        with contextlib.suppress(LabError):
            self.adb("kill-server", timeout=15)
        (runtime_dir() / f"adb-{self.port}.json").unlink(missing_ok=True)

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
        """Run the adb CLI against this server; output on success, LabError otherwise. A
        local server that is down is started first, the lab's way (the CLI would start
        one of its own, unlocked, printing its start-up in the middle of a run)."""
        if self.is_local and args[:1] not in (("start-server",), ("kill-server",)):
            self.ensure_running()
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


def main() -> None:
    """`adb` in the lab's environment (a console script): the adbutils wheel's own binary,
    so an adb of another version never kills the farm's server (see the top)."""
    binary = adb_binary()
    os.execv(binary, [binary, *sys.argv[1:]])
