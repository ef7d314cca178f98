"""A test farm of virtual devices on its own ports and runtime folder, started and stopped
through the `lab` command like a user would (tests never import lab.sim: rule 1)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import adbutils
import pytest

from lab.cloud.payment import PaymentSandbox
from tests.adb_keys import adb_public_key, new_key

# Each pytest-xdist worker runs its own farm on its own ports (and runtime folder), so test
# files can run in parallel; the adb server is shared (serials differ).
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
BASE = 6620 + 40 * WORKER
PORTS = {
    "t-watch": BASE,
    "t-tv": BASE + 2,
    "t-headset": BASE + 4,
    "t-phone": BASE + 6,
    "t-spare": BASE + 8,
    "t-locked": BASE + 10,
    "t-stranger": BASE + 12,
}
SANDBOX_PORT = BASE + 30  # the payment sandbox of this worker's farm
STORE_PORT = BASE + 34  # its app store
REDIS_PORT = BASE + 36  # its Redis lease store (tests of several controllers)
BIN = Path(sys.executable).parent
LAB = str(BIN / "lab")
ADB = str(Path(adbutils.__file__).parent / "binaries" / "adb")

DEVICES = """
  - id: t-watch
    class: watch
    model: TOS Watch W1
    platform: TOS+ 1.2
    virtual: true
    adb: {serial: "127.0.0.1:%(t_watch)s"}
    console: {url: pty}
    display: {width: 454, height: 454, density: 320, shape: round}
    capabilities: [touch, round_display, battery, console, nfc, qr_pay, payment, microphone,
      speaker, voice]
  - id: t-tv
    class: tv
    model: TOS Vision T55
    platform: TOS+ 1.2
    virtual: true
    adb: {serial: "127.0.0.1:%(t_tv)s"}
    console: {url: pty}
    display: {width: 1920, height: 1080, density: 320}
    capabilities: [dpad, console, store, game_host]
  - id: t-headset
    class: headset
    model: TOS Immerse H2
    platform: TOS+ 1.2
    virtual: true
    adb: {serial: "127.0.0.1:%(t_headset)s"}
    console: {url: pty}
    display: {width: 2880, height: 1600, density: 560, shape: stereo}
    capabilities: [stereo_display, dpad, battery, console, store]
  - id: t-phone
    class: phone
    model: TOS Phone P10
    platform: TOS+ 1.2
    virtual: true
    adb: {serial: "127.0.0.1:%(t_phone)s"}
    console: {url: pty}
    display: {width: 1080, height: 2340, density: 440}
    capabilities: [touch, battery, console, nfc, qr_pay, camera, payment, store, gamepad]
  - id: t-spare
    class: phone
    model: TOS Phone P10
    platform: TOS+ 1.2
    virtual: true
    adb: {serial: "127.0.0.1:%(t_spare)s"}
    console: {url: pty}
    display: {width: 1080, height: 2340, density: 440}
    capabilities: [touch, console, camera, gamepad]
  - id: t-locked
    class: watch
    model: TOS Watch W1
    platform: TOS+ 1.2
    virtual: true
    adb: {serial: "127.0.0.1:%(t_locked)s", auth: required, authorized_keys: ["%(ours)s"]}
    display: {width: 454, height: 454, density: 320, shape: round}
  - id: t-stranger
    class: watch
    model: TOS Watch W1
    platform: TOS+ 1.2
    virtual: true
    adb: {serial: "127.0.0.1:%(t_stranger)s", auth: required, authorized_keys: ["%(foreign)s"]}
    display: {width: 454, height: 454, density: 320, shape: round}
peripherals:
  - {id: t-nfc, kind: nfc_reader, model: PN532, virtual: true, port: pty, faces: t-watch}
"""
FARM = """farm:
  services:
    payment: {url: "http://127.0.0.1:%(sandbox)s"}
    store: {url: "http://127.0.0.1:%(store)s"}
devices:"""


class Farm:
    def __init__(self, inventory: Path, env: dict[str, str]) -> None:
        self.inventory = inventory
        self.env = env

    def lab(
        self, *args: str, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess:
        try:
            done = subprocess.run(
                [LAB, *args], env=self.env, capture_output=True, text=True, timeout=timeout,
                check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired as exc:  # what it printed says where it was
            said = exc.stdout or b""
            said = said.decode(errors="replace") if isinstance(said, bytes) else said
            command = " ".join(args)
            raise AssertionError(f"lab {command} ran over {timeout:g} s:\n{said[-4000:]}") from None
        if check and done.returncode != 0:
            raise AssertionError(f"lab {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
        return done

    def fault(self, device_id: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """`lab sim fault DEVICE ARGS...` on this farm."""
        return self.lab(
            "sim", "fault", "--inventory", str(self.inventory), device_id, *args, check=check
        )

    def status(self) -> dict[str, dict]:
        done = self.lab("sim", "status", "--inventory", str(self.inventory), "--json")
        return {d["id"]: d for d in json.loads(done.stdout)["devices"]}

    def adb(self, serial: str, *args: str, timeout: float = 60, binary: bool = False):
        return subprocess.run(
            [ADB, "-s", serial, *args],
            capture_output=True,
            timeout=timeout,
            check=False,
            text=not binary,
        )

    def device(self, serial: str) -> adbutils.AdbDevice:
        return adbutils.AdbClient(host="127.0.0.1", port=5037, socket_timeout=20).device(serial)

    def health(self) -> dict[str, dict]:
        """`lab farm health --json`: each device's health record and lease holder."""
        done = self.lab("farm", "health", "--inventory", str(self.inventory), "--json")
        return {d["device_id"]: d for d in json.loads(done.stdout)["devices"]}

    def sim_pid(self, device_id: str) -> int:
        """The pid of a running virtual device (from the record `lab sim up` wrote)."""
        record = Path(self.env["LAB_RUNTIME_DIR"]) / "sim" / f"{device_id}.json"
        return int(json.loads(record.read_text())["pid"])

    def with_store(self, url: str, name: str) -> Farm:
        """The same devices, their books kept in another lease store (a copy of the
        inventory beside this one)."""
        text = re.sub(r"\n  lease_store: .*", "", self.inventory.read_text())
        text = text.replace("farm:\n", f"farm:\n  lease_store: {url!r}\n", 1)
        inventory = self.inventory.with_name(f"{name}.yaml")
        inventory.write_text(text)
        return Farm(inventory, self.env)

    def log(self, device_id: str) -> str:
        return (Path(self.env["LAB_RUNTIME_DIR"]) / "sim" / f"{device_id}.log").read_text()


def _adb_key() -> Path:
    subprocess.run([ADB, "start-server"], capture_output=True, timeout=30, check=False)
    key = Path.home() / ".android" / "adbkey.pub"
    assert key.is_file(), "the adb server creates its key pair on first start"
    return key


def lab_home(tmp_path_factory: pytest.TempPathFactory) -> Farm:
    """The test farm's inventory and runtime folder, nothing started: devices (start_farm)
    and services (start_sandbox) share them."""
    folder = tmp_path_factory.mktemp("farm")
    foreign = folder / "foreign.pub"
    foreign.write_text(adb_public_key(new_key()))
    inventory = folder / "farm.yaml"
    ports = {device.replace("-", "_"): port for device, port in PORTS.items()}
    inventory.write_text(
        FARM % {"sandbox": SANDBOX_PORT, "store": STORE_PORT}
        + DEVICES % {"ours": _adb_key(), "foreign": foreign, **ports}
    )
    env = {**os.environ, "LAB_RUNTIME_DIR": str(folder / "runtime"), "COLUMNS": "200"}
    return Farm(inventory, env)


def start_sandbox(farm: Farm) -> str:
    """The payment sandbox of this farm, through `lab services up`; its URL."""
    farm.lab("services", "up", "--inventory", str(farm.inventory), timeout=60)
    return f"http://127.0.0.1:{SANDBOX_PORT}"


def start_farm(farm: Farm) -> Farm:
    farm.lab(
        "sim",
        "up",
        "--inventory",
        str(farm.inventory),
        "--boot-seconds",
        "0.5",
        "--only",
        "t-watch",
        "--only",
        "t-tv",
        "--only",
        "t-headset",
        "--only",
        "t-phone",
        "--only",
        "t-spare",
    )
    return farm


MODELS = {
    "t-watch": "TOS Watch W1",
    "t-tv": "TOS Vision T55",
    "t-headset": "TOS Immerse H2",
    "t-phone": "TOS Phone P10",
}
SIZES = {
    "t-watch": (454, 454),
    "t-tv": (1920, 1080),
    "t-headset": (2880, 1600),
    "t-phone": (1080, 2340),
}
SERIALS = {
    device: f"127.0.0.1:{PORTS[device]}"
    for device in ("t-watch", "t-tv", "t-headset", "t-phone", "t-spare")
}
LOCKED, STRANGER = PORTS["t-locked"], PORTS["t-stranger"]


def farm_sandbox(home: Farm, url: str) -> PaymentSandbox:
    """The lab's view of the farm's own payment sandbox (SQLite), with its admin key."""
    key = Path(home.env["LAB_RUNTIME_DIR"]) / "services" / "payment.admin-key"
    return PaymentSandbox(url, key.read_text().strip())
