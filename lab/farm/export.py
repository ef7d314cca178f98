"""`lab farm export`: a host serves its devices to the farm (labgrid's exporter; the farm's
store is the coordinator's book). Its adb server is reached on the host's advertised
address, every console and every NFC reader beside an exported device is served by ser2net
as RFC 2217, and the devices (and readers) are registered in the store with those
addresses, renewed each third of the TTL: controllers reach them only that way, and a
host that dies drops out when its registration expires.

Nothing listens beyond the advertised address. adb's server can listen on loopback or on
every interface (`-a`), nothing between ("listening on specified hostname currently
unsupported"); so it stays on loopback and socat relays the advertised address to it. The
adb server has no authentication of its own: whoever reaches that address and port gets a
shell on every exported device, past leases and fencing (docs/SECURITY.md says what to
firewall)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from lab.device.adb_server import AdbServer
from lab.errors import LabError
from lab.farm.books import Books
from lab.inventory import Device, Inventory, is_loopback
from lab.runtime import resolve_port


class Exporter:
    def __init__(
        self,
        inventory: Inventory,
        store: Books,
        advertise: str,
        name: str,
        console_port: int = 7100,
    ) -> None:
        self.inventory = inventory
        self.store = store
        self.advertise = advertise
        self.name = name
        self.console_port = console_port
        self.ttl = store.ttl or 15.0
        self.adb_port = AdbServer(inventory.farm.adb_server).port
        self.consoles: dict[str, int] = {}  # device id -> its RFC 2217 port
        self.parts: dict[str, int] = {}  # peripheral id (an NFC reader) -> its RFC 2217 port
        self._relay: subprocess.Popen | None = None
        self._ser2net: subprocess.Popen | None = None
        self._folder = Path(tempfile.mkdtemp(prefix="lab-export-"))

    @property
    def adb_address(self) -> str:
        return f"{self.advertise}:{self.adb_port}"

    # -- the adb server: on loopback, relayed from the advertised address only
    def serve_adb(self) -> str:
        wide = listening_everywhere(self.adb_port)
        if wide:
            raise LabError(
                f"something listens on port {self.adb_port} on every interface ({wide}): an "
                "adb server started with -a would let anyone who reaches this host drive "
                "every device, past leases",
                hint="stop it (`adb kill-server`); export serves adb on --advertise only",
            )
        local = AdbServer(f"127.0.0.1:{self.adb_port}", timeout=2.0)
        local.ensure_running()
        if is_loopback(self.advertise):
            return f"adb server {self.adb_address} (loopback only)"
        if _listening(self.advertise, self.adb_port):
            raise LabError(f"{self.adb_address} is taken by another process",
                           hint="stop it, or export another adb server port")  # fmt: skip
        binary = shutil.which("socat")
        if binary is None:
            raise LabError("socat is not installed", hint="apt-get install socat (make does)")
        self._relay = subprocess.Popen(
            [binary, f"TCP-LISTEN:{self.adb_port},bind={self.advertise},reuseaddr,fork",
             f"TCP:127.0.0.1:{self.adb_port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        _wait(lambda: _listening(self.advertise, self.adb_port), 15.0, f"adb on {self.adb_address}")
        return f"adb server {self.adb_address} (loopback's, relayed by socat pid {self._relay.pid})"

    # -- serial lines through ser2net: consoles, and the NFC readers beside the devices
    def serve_serial_lines(self) -> list[str]:
        exported = {d.id for d in self.inventory.devices}
        lines: list[str] = []
        said: list[str] = []
        serial_lines: list[tuple[str, str, int, dict[str, int]]] = []  # name, path, baud, to
        for device in self.inventory.devices:
            if device.console:
                path = _local_path(device.id, "console", device.console.url)
                serial_lines.append((device.id, path, device.console.baud, self.consoles))
        for part in self.inventory.peripherals:
            if part.faces in exported:
                path = _local_path(part.id, part.kind, part.port)
                serial_lines.append((part.id, path, part.baud, self.parts))
        for n, (name, path, baud, served) in enumerate(serial_lines):
            port = self.console_port + n
            served[name] = port
            lines += [
                f"connection: &{name}",
                f"  accepter: telnet(rfc2217),tcp,{self.advertise},{port}",
                f"  connector: serialdev,{path},{baud}n81,local",
                "  options:",
                "    kickolduser: true",
            ]
            said.append(f"{name} {path} -> rfc2217://{self.advertise}:{port}")
        if not lines:
            return said
        binary = shutil.which("ser2net")
        if binary is None:
            raise LabError("ser2net is not installed", hint="apt-get install ser2net (make does)")
        config = self._folder / "ser2net.yaml"
        config.write_text("\n".join(lines) + "\n")
        self._ser2net = subprocess.Popen(
            [binary, "-n", "-u", "-c", str(config), "-P", str(self._folder / "ser2net.pid")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        for port in [*self.consoles.values(), *self.parts.values()]:
            _wait(lambda p=port: _listening(self.advertise, p), 10.0, f"ser2net on port {port}")
        return said

    # -- the registration
    def record(self) -> dict:
        return {
            "name": self.name,
            "adb_server": self.adb_address,
            "devices": [self._exported(d) for d in self.inventory.devices],
            "peripherals": [
                {**p.model_dump(mode="json"), "port": self._rfc2217(self.parts[p.id])}
                for p in self.inventory.peripherals
                if p.id in self.parts
            ],
            "at": time.time(),
        }

    def _rfc2217(self, port: int) -> str:
        # ser2net does not answer SET_CONTROL (DTR/RTS) for a line without modem control
        # (a pty, a 3-wire UART): pyserial would wait for it and give up
        return f"rfc2217://{self.advertise}:{port}?ign_set_control"

    def _exported(self, device: Device) -> dict:
        data = device.model_dump(by_alias=True, exclude_none=True, mode="json")
        data["adb"]["server"] = self.adb_address
        if device.id in self.consoles:
            data["console"]["url"] = self._rfc2217(self.consoles[device.id])
        data["location"] = {**data.get("location", {}), "host": self.name}
        return data

    def register(self) -> None:
        self.store.register_host(self.record(), self.ttl)

    def keep_registered(self, stop: threading.Event, said: Callable[[str], None]) -> None:
        """Renew every third of the TTL until `stop` is set. A store that is away is tried
        again at the next beat (the registration lapses meanwhile); `said` hears when it
        goes away and when it is back."""
        away = False
        while not stop.wait(self.ttl / 3):
            try:
                self.register()
            except LabError as exc:
                if not away:
                    said(f"registration lapses: {exc.message}; trying again")
                away = True
                continue
            if away:
                said("registered again")
            away = False

    def stop(self) -> None:
        """Unregister, then stop what this exporter started (never throws)."""
        with contextlib.suppress(LabError):  # else it lapses by itself within the TTL
            self.store.unregister_host(self.name)
        for process in (self._ser2net, self._relay):
            if process and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
        shutil.rmtree(self._folder, ignore_errors=True)


def _local_path(name: str, what: str, url: str) -> str:
    """The host's path of a serial line (`what` of `name`): its URL, or for a virtual one
    (`pty`) the pty its process announced."""
    if url == "pty":
        pty = resolve_port(url, name, what)
        if not pty:
            raise LabError(
                f"{name}: its virtual {what} is not up",
                hint="start the devices first (`lab sim up`), or export with --sim",
            )
        return pty
    if "://" in url:
        raise LabError(f"{name}: {what} {url} is already on the network: not re-exported")
    return url


def listening_everywhere(port: int) -> str:
    """The wildcard address something listens on at `port` (0.0.0.0 or ::), or ""."""
    for conn in psutil.net_connections(kind="tcp"):
        local = conn.laddr
        if (
            conn.status == psutil.CONN_LISTEN
            and local
            and local.port == port
            and local.ip
            in (
                "0.0.0.0",
                "::",
            )
        ):
            return f"{local.ip}:{port}"
    return ""


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def _wait(ready, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise LabError(f"{what} did not come up within {timeout:g} s")
        time.sleep(0.1)
