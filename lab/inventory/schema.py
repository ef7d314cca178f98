"""The inventory schema: what a device and a farm look like on paper.

Models are strict (YAML already gives real types, so "454" for a width is a mistake, not
something to coerce) and forbid unknown keys (they are typos).
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from lab.inventory.capabilities import CAPABILITIES
from lab.inventory.suggest import did_you_mean
from lab.protocols.device_classes import NAMES

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")
_SERIAL = re.compile(r"^\S+$")
_SERIAL_SCHEMES = ("rfc2217", "socket", "loop", "spy")


def parse_host_port(text: str) -> tuple[str, int]:
    """Split `host:port` (IPv6 as `[::1]:5037`); raise ValueError with the expected form."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ValueError(f"expected host:port (e.g. 127.0.0.1:5037), found {text!r}")
    number = int(port)
    if not 0 < number < 65536:
        raise ValueError(f"port {number} is out of range 1-65535")
    return host.strip("[]"), number


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine only (127.0.0.0/8, ::1, localhost): what the lab
    binds by default; any other address needs authentication or a plain warning."""
    if host.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve anywhere


def _check_host_port(text: str) -> str:
    parse_host_port(text)
    return text


def _check_console_url(url: str) -> str:
    if url == "pty" or url.startswith("/"):
        return url
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in _SERIAL_SCHEMES:
        raise ValueError(
            f"expected a device path (/dev/ttyUSB0), `pty` (virtual devices) or a pyserial URL "
            f"with scheme {', '.join(s + '://' for s in _SERIAL_SCHEMES)}; found {url!r}"
        )
    if scheme in ("rfc2217", "socket"):
        parse_host_port(rest.split("?", 1)[0].rstrip("/"))
    return url


def _check_capability(word: str) -> str:
    if word not in CAPABILITIES:
        raise ValueError(
            f"unknown capability {word!r}{did_you_mean(word, CAPABILITIES)}; "
            f"the vocabulary is in docs/INVENTORY.md"
        )
    return word


HostPort = Annotated[str, AfterValidator(_check_host_port)]
Capability = Annotated[str, AfterValidator(_check_capability)]
ConsoleUrl = Annotated[str, AfterValidator(_check_console_url)]
NonEmpty = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class AdbEndpoint(_Strict):
    serial: NonEmpty
    server: HostPort | None = None
    auth: Literal["none", "required"] = "none"
    authorized_keys: list[NonEmpty] = Field(default_factory=list)

    @field_validator("serial")
    @classmethod
    def _no_spaces(cls, value: str) -> str:
        if not _SERIAL.match(value):
            raise ValueError(f"an adb serial has no spaces; found {value!r}")
        return value


# A device's UART console is a shell: Android's console service prints `console:/ $ `,
# with the last failure's status before it (`1|console:/ $ `); `#` when it runs as root.
DEFAULT_CONSOLE_PROMPT = r"(?:\d+\|)?console:\S* [$#] "


def _check_regex(text: str) -> str:
    try:
        re.compile(text)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    return text


class Console(_Strict):
    url: ConsoleUrl
    baud: Annotated[int, Field(gt=0, le=4_000_000)] = 115200
    prompt: Annotated[str, Field(min_length=1), AfterValidator(_check_regex)] = (
        DEFAULT_CONSOLE_PROMPT
    )


class Display(_Strict):
    width: Annotated[int, Field(gt=0, le=16384)]
    height: Annotated[int, Field(gt=0, le=16384)]
    density: Annotated[int, Field(ge=72, le=1000)]
    shape: Literal["rect", "round", "stereo"] = "rect"


class Location(_Strict):
    host: NonEmpty | None = None
    rack: NonEmpty | None = None
    slot: NonEmpty | None = None


class SoundCard(_Strict):
    """The sound card beside a real device (sounddevice's names or indexes): a speaker
    aimed at the device's microphone and a microphone at its speaker."""

    output: NonEmpty | int
    input: NonEmpty | int


class Device(_Strict):
    id: NonEmpty
    device_class: Literal[NAMES] = Field(alias="class")  # type: ignore[valid-type]
    model: NonEmpty
    platform: NonEmpty
    virtual: bool = False
    adb: AdbEndpoint
    console: Console | None = None
    audio: SoundCard | None = None  # a real device's audio rig (virtual ones: over adb)
    display: Display
    capabilities: list[Capability] = Field(default_factory=list)
    tags: list[NonEmpty] = Field(default_factory=list)
    location: Location | None = None

    @field_validator("id")
    @classmethod
    def _id_form(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(
                f"an id is lower-case letters, digits, '.', '_' or '-' (it names files and "
                f"test ids); found {value!r}"
            )
        return value

    @field_validator("capabilities")
    @classmethod
    def _listed_once(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a capability is listed twice")
        return value

    def adb_server(self, farm: Farm) -> str:
        """The adb server this device hangs off: its own, else the farm's."""
        return self.adb.server or farm.adb_server

    def has(self, *capabilities: str) -> bool:
        return all(cap in self.capabilities for cap in capabilities)


def _check_http_url(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if scheme not in ("http", "https") or not sep:
        raise ValueError(f"expected an http:// or https:// URL, found {url!r}")
    parse_host_port(rest.split("/", 1)[0])
    return url.rstrip("/")


HttpUrl = Annotated[str, AfterValidator(_check_http_url)]


class Service(_Strict):
    """A TOS+ cloud service the devices and suites reach over HTTP."""

    url: HttpUrl  # http://127.0.0.1:8750
    start: bool = True  # `lab run` and `lab services up` start it (on this host's loopback)
    database: NonEmpty | None = None  # a SQLAlchemy URL; default: SQLite in the runtime dir

    @property
    def host_port(self) -> tuple[str, int]:
        return parse_host_port(self.url.split("://", 1)[1].split("/", 1)[0])


class Services(_Strict):
    payment: Service | None = None
    store: Service | None = None  # the app store; its purchases are paid through `payment`

    @model_validator(mode="after")
    def _store_pays_through_payment(self) -> Services:
        if self.store is not None and self.payment is None:
            raise ValueError("store: needs the payment sandbox too (services.payment)")
        return self


class Farm(_Strict):
    adb_server: HostPort = "127.0.0.1:5037"
    lease_store: NonEmpty = "file:reports/.leases"
    report_dir: NonEmpty = "reports"
    services: Services = Field(default_factory=Services)

    @field_validator("lease_store")
    @classmethod
    def _lease_scheme(cls, value: str) -> str:
        if value.startswith("file:"):
            return value
        if value.startswith(("redis://", "rediss://")):
            parse_host_port(value.split("://", 1)[1].split("/", 1)[0].rpartition("@")[2])
            return value
        raise ValueError(
            f"expected `file:DIR` (one host) or `redis://host:port/db` (several controllers); "
            f"found {value!r}"
        )


class Peripheral(_Strict):
    """A part of the bench beside a device (labgrid's resource): an NFC reader on a
    serial port facing a watch, say. Virtual ones are started by `lab sim up`."""

    id: NonEmpty
    kind: Literal["nfc_reader"]
    model: Literal["PN532"] = "PN532"
    virtual: bool = False
    port: ConsoleUrl  # `pty` (virtual), /dev/ttyUSB0, rfc2217://host:port
    baud: Annotated[int, Field(gt=0, le=4_000_000)] = 115200
    faces: NonEmpty  # the id of the device it sits beside

    @field_validator("id")
    @classmethod
    def _id_form(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(
                f"an id is lower-case letters, digits, '.', '_' or '-'; found {value!r}"
            )
        return value


class Inventory(_Strict):
    farm: Farm = Field(default_factory=Farm)
    devices: Annotated[list[Device], Field(min_length=1)]
    peripherals: list[Peripheral] = Field(default_factory=list)
    _path: str | None = PrivateAttr(default=None)

    @property
    def path(self) -> str | None:
        """The file this inventory was loaded from (None when built in code)."""
        return self._path

    @property
    def base_dir(self) -> Path:
        """Relative paths in an inventory (report_dir, file: lease store) start here."""
        return Path(self._path).resolve().parent if self._path else Path.cwd()

    def resolve(self, path: str) -> Path:
        candidate = Path(path)
        return candidate if candidate.is_absolute() else self.base_dir / candidate

    def device(self, device_id: str) -> Device:
        for device in self.devices:
            if device.id == device_id:
                return device
        raise KeyError(device_id)

    def peripheral(self, kind: str, faces: str) -> Peripheral | None:
        """The `kind` part beside device `faces` (e.g. its NFC reader), if it has one."""
        return next((p for p in self.peripherals if p.kind == kind and p.faces == faces), None)

    def select(self, device_class: str | None = None, ids: list[str] | None = None) -> list[Device]:
        chosen = self.devices
        if device_class:
            chosen = [d for d in chosen if d.device_class == device_class]
        if ids:
            chosen = [d for d in chosen if d.id in ids]
        return chosen
