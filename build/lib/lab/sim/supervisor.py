"""Start, stop and list the virtual devices of an inventory, each in its own process."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import adbutils

from lab.device.adb_server import AdbServer, adb_binary
from lab.errors import LabError
from lab.inventory import Device, Inventory
from lab.runtime import read_sim_records, runtime_dir, same_process, sim_dir
from lab.sim import control
from lab.sim.peripherals import supervisor as parts
from lab.sim.spec import DeviceSpec
from lab.sim.userland.image import system_image

_SOCKET_PATH_MAX = 107  # sun_path; the longest is ROOT/dev/socket/tos_system


@dataclass
class SimStatus:
    id: str
    device_class: str
    serial: str
    console: str | None
    pid: int | None
    state: str  # running | booting | stopped | dead
    adb: str = ""
    problem: str = ""  # why it could not be attached (up(strict=False))

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "class": self.device_class,
            "serial": self.serial,
            "console": self.console,
            "pid": self.pid,
            "state": self.state,
            "adb": self.adb,
            "problem": self.problem,
        }


def virtual_devices(inventory: Inventory, only: list[str] | None) -> list[Device]:
    chosen = [d for d in inventory.devices if d.virtual]
    if only:
        unknown = sorted(set(only) - {d.id for d in chosen})
        if unknown:
            raise LabError(
                f"no virtual device with id {', '.join(unknown)} in {inventory.path}",
                hint=f"virtual devices: {', '.join(d.id for d in chosen) or 'none'}",
            )
        chosen = [d for d in chosen if d.id in only]
    return chosen


def _running(device_id: str) -> dict[str, Any] | None:
    record = read_sim_records().get(device_id)
    if not record or not same_process(record.get("identity")):
        return None
    try:
        reply = control.request(Path(record["control"]), {"cmd": "status"}, timeout=3)
    except (OSError, ValueError, KeyError):
        return None
    return reply if reply.get("ok") else None


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        # as the device will: TIME_WAIT leftovers of a previous run must not count as busy
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def up(
    inventory: Inventory,
    only: list[str] | None = None,
    *,
    boot_seconds: float = 1.0,
    timeout: float = 60.0,
    strict: bool = True,
    said: Callable[[str], None] | None = None,
) -> list[SimStatus]:
    """Start the virtual devices that are down and adb-connect them all. A device that
    does not come up raises (strict), or is reported in its status' `problem` (what
    `lab run` wants: the others still run, the sick one fails its health check). `said`
    hears one line per shared part (the adb server) and per device: what was started,
    or that it was up already."""
    tell = said or (lambda _line: None)
    devices = virtual_devices(inventory, only)
    folder = sim_dir()
    image = None
    # check every device before starting any: a usage error leaves nothing running behind it
    to_start: list[tuple[Device, DeviceSpec]] = []
    for device in devices:
        if _running(device.id):
            continue
        longest = folder / device.id / "root/dev/socket/tos_system"
        if len(str(longest)) > _SOCKET_PATH_MAX:
            raise LabError(
                f"{device.id}: the runtime directory path is too long for the device's "
                f"sockets ({len(str(longest))} > {_SOCKET_PATH_MAX} characters: {longest})",
                hint="set LAB_RUNTIME_DIR to a shorter folder",
            )
        image = image or system_image(runtime_dir() / "images")
        spec = DeviceSpec.from_device(device, boot_seconds=boot_seconds, system_image=str(image))
        if not _port_free(spec.host, spec.port):
            raise LabError(
                f"{device.id}: port {spec.port} on {spec.host} is busy (another process listens "
                f"there)",
                hint=f"stop that process, or give {device.id} another adb.serial port "
                f"in {inventory.path}",
            )
        to_start.append((device, spec))
    # the adb servers first, once each, before any device is attached: a device never
    # starts one (several starting at once race, see lab/device/adb_server.py)
    for address in sorted({d.adb_server(inventory.farm) for d in devices}):
        server = AdbServer(address)
        if server.ensure_running():
            tell(f"adb server {address}: started (its log: {server.log})")
        else:
            tell(f"adb server {address}: running already")
    if not to_start:
        tell(f"every device was up already: {', '.join(d.id for d in devices)}")
    started: list[tuple[Device, subprocess.Popen]] = []
    for device, spec in to_start:
        shutil.rmtree(folder / device.id, ignore_errors=True)  # a fresh device every start
        (folder / f"{device.id}.spec").write_text(spec.to_json())
        log = open(folder / f"{device.id}.log", "ab")  # noqa: SIM115 - handed to the child
        process = subprocess.Popen(
            [sys.executable, "-m", "lab.sim.process", str(folder / f"{device.id}.spec")],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # one device crashing (or a Ctrl-C) takes no other down
        )
        log.close()
        started.append((device, process))
    deadline = time.monotonic() + timeout
    problems: dict[str, str] = {}
    for device, process in started:
        try:
            _wait_record(device, process, folder, deadline)
        except LabError as exc:
            problems[device.id] = str(exc)
    fresh = {device.id for device, _ in started} - set(problems)
    # a device already running needs only a connect: do not spend the boot timeout on it
    quick = min(deadline, time.monotonic() + 5.0)
    with ThreadPoolExecutor(max_workers=max(1, len(devices))) as pool:
        found = pool.map(
            lambda d: _attach(inventory, d, d.id in fresh, deadline if d.id in fresh else quick),
            [d for d in devices if d.id not in problems],
        )
        problems.update({device_id: problem for device_id, problem in found if problem})
    for device, _ in started:
        why = problems.get(device.id)
        tell(f"{device.id}: {'started' if not why else 'did not start: ' + why}")
    # the parts of the bench facing these devices (their NFC readers)
    parts.up(inventory, [d.id for d in devices if d.id not in problems], said=tell)
    for part in inventory.peripherals:
        if part.virtual and part.faces in problems:
            tell(f"{part.id}: not started: the {part.faces} it faces did not come up")
    if problems and strict:
        raise LabError(
            "\n".join(problems[d] for d in sorted(problems)),
            hint=f"device logs: {folder}/<id>.log",
        )
    rows = status(inventory, only)
    for row in rows:
        row.problem = problems.get(row.id, "")
    return rows


def _wait_record(device: Device, process: subprocess.Popen, folder: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = _tail(folder / f"{device.id}.log")
            raise LabError(
                f"{device.id}: the device process exited with {process.returncode}\n{tail}",
                hint=f"full log: {folder / (device.id + '.log')}",
            )
        if _running(device.id):
            return
        time.sleep(0.05)
    raise LabError(
        f"{device.id}: did not come up in time", hint=f"see {folder / (device.id + '.log')}"
    )


def _attach(
    inventory: Inventory, device: Device, wait_boot: bool, deadline: float
) -> tuple[str, str]:
    """`adb connect` the device and, when it was just started, wait until adb sees it
    booted. (device id, problem) with an empty problem when it is attached."""
    server = AdbServer(device.adb_server(inventory.farm))
    serial = device.adb.serial
    try:
        server.ensure_running()
        if server.states().get(serial) != "device":
            with contextlib.suppress(LabError):
                # a stale "offline" entry would answer "already connected"
                server.disconnect(serial)
            server.connect(serial)
    except LabError as exc:
        return device.id, f"{device.id}: {exc.message}"
    handle = server.client().device(serial)
    state = ""
    while True:
        try:
            state = server.states().get(serial, "absent")
            if state == "device" and (
                not wait_boot
                or handle.shell("getprop sys.boot_completed", timeout=3).strip() == "1"
            ):
                return device.id, ""
        except (adbutils.AdbError, adbutils.AdbTimeout, OSError, LabError):
            pass
        if time.monotonic() > deadline:
            return device.id, (
                f"{device.id}: adb did not see it {'booted' if wait_boot else 'online'} in time "
                f"(state {state or 'unknown'}); see {sim_dir() / (device.id + '.log')}"
            )
        time.sleep(0.1)


def down(
    inventory: Inventory | None, only: list[str] | None = None, timeout: float = 10.0
) -> list[str]:
    """Stop running virtual devices (all known ones when `inventory` is None)."""
    records = read_sim_records()
    wanted = set(records) if inventory is None else {d.id for d in virtual_devices(inventory, only)}
    stopped = parts.down(inventory, None if inventory is None or not only else sorted(wanted))
    for device_id in sorted(wanted & set(records)):
        record = records[device_id]
        pid = int(record.get("pid", 0))
        # only a process proven to be this device (pid, start time and command line): a
        # pid the system reused for something else after the device died is left alone
        if same_process(record.get("identity")):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while same_process(record.get("identity")) and time.monotonic() < deadline:
                time.sleep(0.05)
            if same_process(record.get("identity")):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        server = AdbServer(_server_of(inventory, device_id))
        if server.reachable():
            with contextlib.suppress(LabError):
                server.disconnect(str(record.get("serial")))
        for leftover in (f"{device_id}.json", f"{device_id}.sock"):
            (sim_dir() / leftover).unlink(missing_ok=True)
        stopped.append(device_id)
    return stopped


def adb_servers(inventory: Inventory | None, only: list[str] | None = None) -> set[str]:
    """The adb servers the virtual devices (of `inventory`, or every one running) use."""
    if inventory is None:
        return {"127.0.0.1:5037"} | {
            str(r.get("adb_server")) for r in read_sim_records().values() if r.get("adb_server")
        }
    return {d.adb_server(inventory.farm) for d in virtual_devices(inventory, only)}


def release_adb_servers(addresses: set[str]) -> list[str]:
    """After the devices are down: each local adb server the lab started and that serves
    no device any more is stopped; any other is left, and said why and how to stop it."""
    said = []
    for address in sorted(addresses):
        server = AdbServer(address)
        if not server.is_local or not server.reachable():
            continue
        attached = server.states()
        if server.started_by_lab() and not attached:
            server.stop()
            said.append(f"adb server {address}: stopped (the lab started it)")
        else:
            why = (f"it still serves {', '.join(sorted(attached))}" if attached
                   else "the lab did not start it")  # fmt: skip
            said.append(
                f"adb server {address}: left running ({why}); stop it with "
                f"`{adb_binary()} -P {server.port} kill-server`"
            )
    return said


def _server_of(inventory: Inventory | None, device_id: str) -> str:
    if inventory is None:
        return "127.0.0.1:5037"
    return inventory.device(device_id).adb_server(inventory.farm)


def status(inventory: Inventory, only: list[str] | None = None) -> list[SimStatus]:
    rows = []
    states: dict[str, dict[str, str]] = {}
    for device in virtual_devices(inventory, only):
        reply = _running(device.id)
        address = device.adb_server(inventory.farm)
        if address not in states:
            server = AdbServer(address)
            states[address] = server.states() if server.reachable() else {}
        adb_state = states[address].get(device.adb.serial, "absent")
        if reply is None:
            record = read_sim_records().get(device.id)
            state = "dead" if record else "stopped"
            rows.append(
                SimStatus(
                    device.id, device.device_class, device.adb.serial, None, None, state, adb_state
                )
            )
            continue
        rows.append(
            SimStatus(
                device.id,
                device.device_class,
                device.adb.serial,
                reply.get("console"),
                reply.get("pid"),
                "running" if reply.get("boot_completed") else "booting",
                adb_state,
            )
        )
    return rows


def inject(
    inventory: Inventory,
    device_id: str,
    kind: str,
    seconds: float | None,
    value: float | None,
    clear: bool,
) -> dict[str, Any]:
    virtual_devices(inventory, [device_id])
    reply = _running(device_id)
    if reply is None:
        raise LabError(f"{device_id} is not running", hint="start it with `lab sim up`")
    payload: dict[str, Any] = (
        {"cmd": "clear", "kind": None if kind == "all" else kind}
        if clear
        else {"cmd": "fault", "kind": kind, "seconds": seconds, "value": value}
    )
    answer = control.request(Path(reply["control"]), payload)
    if not answer.get("ok"):
        raise LabError(f"{device_id}: {answer.get('error')}")
    return answer


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
