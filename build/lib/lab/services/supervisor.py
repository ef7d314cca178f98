"""`lab services up | down | status`: each service declared in the inventory's
`farm.services` runs as a process of its own, bound where its URL says (loopback by
default), with its database and an admin key (0600) in the runtime directory. A record
per service (pid, start time and command line, URL) lets `down` stop exactly that process
and nothing else."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from lab.errors import LabError
from lab.inventory import Inventory, is_loopback
from lab.inventory.schema import Service
from lab.runtime import process_identity, runtime_dir, same_process

NAMES = ("payment", "store")


@dataclass
class ServiceStatus:
    name: str
    url: str
    state: str  # running | stopped | dead | remote
    pid: int | None = None
    database: str = ""
    log: str = ""
    problem: str = ""


def services_dir() -> Path:
    path = runtime_dir() / "services"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def admin_key_file(name: str) -> Path:
    """The key the lab provisions with (made once, readable by this user only)."""
    path = services_dir() / f"{name}.admin-key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"ak_{secrets.token_urlsafe(32)}\n")
    return path


def declared(inventory: Inventory, only: list[str] | None = None) -> dict[str, Service]:
    found = {
        name: service
        for name in NAMES
        if (service := getattr(inventory.farm.services, name)) is not None
    }
    for name in only or []:
        if name not in found:
            raise LabError(
                f"no service {name!r} in farm.services of {inventory.path}",
                hint=f"declare it, e.g. `services: {{{name}: {{url: http://127.0.0.1:8750}}}}`",
            )
    return {n: s for n, s in found.items() if not only or n in only}


def _record_path(name: str) -> Path:
    return services_dir() / f"{name}.json"


def _record(name: str) -> dict | None:
    try:
        return json.loads(_record_path(name).read_text())
    except (OSError, ValueError):
        return None


def _healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def status(inventory: Inventory, only: list[str] | None = None) -> list[ServiceStatus]:
    rows = []
    for name, service in declared(inventory, only).items():
        record = _record(name)
        row = ServiceStatus(name, service.url, "stopped")
        if not _is_local(service):
            row.state = "running" if _healthy(service.url) else "remote"
            row.problem = "" if row.state == "running" else "not answering /healthz"
        elif record and same_process(record.get("identity")):
            row.state, row.pid = "running", record["identity"]["pid"]
            row.database, row.log = record.get("database", ""), record.get("log", "")
            if not _healthy(service.url):
                row.problem = "its process runs but /healthz does not answer"
        elif record:
            row.state, row.log = "dead", record.get("log", "")
        rows.append(row)
    return rows


def _is_local(service: Service) -> bool:
    return is_loopback(service.host_port[0])


def up(
    inventory: Inventory, only: list[str] | None = None, timeout: float = 30.0
) -> list[ServiceStatus]:
    """Start the declared local services that are down (those with `start: false`, or on
    another host, are only checked) and wait until each answers /healthz."""
    wanted = declared(inventory, only)
    started: dict[str, subprocess.Popen] = {}
    for name, service in wanted.items():
        if not service.start or not _is_local(service):
            continue
        record = _record(name)
        if record and same_process(record.get("identity")):
            continue
        host, port = service.host_port
        if not _port_free(host, port):
            raise LabError(
                f"service {name}: port {port} on {host} is busy (another process listens there)",
                hint=f"stop it, or give farm.services.{name}.url another port in {inventory.path}",
            )
        started[name] = _spawn(name, service, _extra(name, inventory))
    deadline = time.monotonic() + timeout
    for name, process in started.items():
        url = wanted[name].url
        while not _healthy(url, 0.5):
            if process.poll() is not None:
                log = services_dir() / f"{name}.log"
                raise LabError(
                    f"service {name} exited with {process.returncode} while starting:\n"
                    + _tail(log),
                    hint=f"full log: {log}",
                )
            if time.monotonic() > deadline:
                raise LabError(f"service {name} did not answer {url}/healthz in {timeout:g} s")
            time.sleep(0.1)
    return status(inventory, only)


def _extra(name: str, inventory: Inventory) -> list[str]:
    """What a service needs beyond its own database: the store keeps APKs beside it and
    pays through the payment sandbox (with its admin key, to become a merchant)."""
    if name != "store":
        return []
    extra = ["--blobs", str(services_dir() / "store-apks")]
    payment = inventory.farm.services.payment
    if payment is not None:
        extra += ["--payment-url", payment.url, "--payment-admin-key-file"]
        extra.append(str(admin_key_file("payment")))
    return extra


def _spawn(name: str, service: Service, extra: list[str]) -> subprocess.Popen:
    folder = services_dir()
    database = service.database or f"sqlite:///{folder / (name + '.db')}"
    host, port = service.host_port
    log_path = folder / f"{name}.log"
    command = [
        sys.executable,
        "-m",
        "lab.services.serve",
        name,
        "--host",
        host,
        "--port",
        str(port),
        "--database",
        database,
        "--admin-key-file",
        str(admin_key_file(name)),
        "--secret-file",  # made by the service (0600) beside its admin key
        str(folder / f"{name}.secret"),
        *extra,
    ]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C of the caller does not take the service down
        )
    time.sleep(0.05)
    record = {
        "name": name,
        "url": service.url,
        "database": database,
        "log": str(log_path),
        "identity": process_identity(process.pid),
    }
    _record_path(name).write_text(json.dumps(record))
    return process


def down(inventory: Inventory, only: list[str] | None = None, timeout: float = 10.0) -> list[str]:
    """Stop the services this lab started (proven by pid, start time and command line)."""
    stopped = []
    for name in declared(inventory, only):
        record = _record(name)
        if not record:
            continue
        identity = record.get("identity")
        if same_process(identity):
            pid = int(identity["pid"])
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while same_process(identity) and time.monotonic() < deadline:
                time.sleep(0.05)
            if same_process(identity):
                os.kill(pid, signal.SIGKILL)
            stopped.append(name)
        _record_path(name).unlink(missing_ok=True)
    return stopped


def _port_free(host: str, port: int) -> bool:
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError:
        return False
    return True


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
