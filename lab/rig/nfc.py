"""An NFC reader beside a device: a PN532 on a serial line (USB-serial, RFC 2217, or the
pty of a virtual one), driven by nfcpy, as Google's CTS drives one for its host card
emulation tests. Every wait is bounded; a card that does not show is a clear error."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

import nfc
import nfc.clf
import nfc.clf.pn532
import nfc.clf.transport
import nfc.tag
import serial
from nfc.clf import RemoteTarget

from lab.device.dut import Dut
from lab.errors import Category, LabError, ProductFailure
from lab.runtime import resolve_port


class ReaderError(LabError):
    """The reader itself could not be opened or driven (a bench problem)."""

    category = Category.LAB_INFRASTRUCTURE


class NoCard(ProductFailure):
    """No card answered in the field: the device did not present one."""


class _UrlTTY(nfc.clf.transport.TTY):
    """nfcpy's serial transport, opened through pyserial's URL handlers, so rfc2217://
    and a pty path work as /dev/ttyUSB0 does (nfcpy's own path syntax names only /dev
    entries)."""

    def open(self, port: str, baudrate: int = 115200) -> None:
        self.close()
        self.tty = serial.serial_for_url(port, baudrate=baudrate, timeout=0.05)


@dataclass
class Card:
    """A card activated in the reader's field (ISO-DEP): APDUs in, answers out."""

    tag: nfc.tag.Tag
    uid: bytes

    def transceive(self, apdu: bytes, timeout: float = 1.0) -> bytes:
        try:
            return bytes(self.tag.transceive(apdu, timeout))
        except nfc.tag.TagCommandError as exc:
            raise NoCard(f"the card stopped answering ({exc})") from None


class NfcReader:
    def __init__(self, port: str, name: str = "NFC reader") -> None:
        self.port = port
        self.name = name
        try:
            transport = _UrlTTY(port)
            device = nfc.clf.pn532.init(transport)
        except (OSError, serial.SerialException) as exc:
            raise ReaderError(
                f"{name}: no PN532 answers on {port} ({exc})",
                hint="is the reader connected (or `lab sim up` running for a virtual one)?",
            ) from None
        device._path = port
        self.clf = nfc.ContactlessFrontend()
        self.clf.device = device

    @classmethod
    def beside(cls, dut: Dut) -> NfcReader:
        """The reader the inventory puts beside `dut` (a peripheral that faces it)."""
        part = next((p for p in dut.parts if p.kind == "nfc_reader"), None)
        if part is None:
            raise ReaderError(
                f"no NFC reader beside {dut.id} in the inventory",
                hint="declare one under `peripherals:` with `faces: " + dut.id + "`",
            )
        port = resolve_port(part.port, part.id, part.kind)
        if port is None:
            raise ReaderError(
                f"{part.id}: the virtual reader is not running", hint="run `lab sim up`"
            )
        return cls(port, part.id)

    def wait_card(self, timeout: float = 5.0) -> Card:
        """Poll (type A, 106 kbps) until a card answers and is activated, or `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                target = self.clf.sense(RemoteTarget("106A"), iterations=1, interval=0.05)
            except (OSError, nfc.clf.CommunicationError) as exc:
                raise ReaderError(f"{self.name}: the reader failed while polling ({exc})") from None
            if target is not None:
                try:
                    tag = nfc.tag.activate(self.clf, target)
                except nfc.clf.CommunicationError:
                    tag = None
                if tag is not None:
                    return Card(tag, bytes(target.sdd_res or b""))
            time.sleep(0.05)
        raise NoCard(
            f"{self.name}: no card answered in {timeout:g} s",
            hint="is the device in pay mode (its payment code on screen) and its NFC on?",
        )

    def field_off(self) -> None:
        """Drop the field (the card is gone) before the next tap."""
        with contextlib.suppress(OSError, nfc.clf.CommunicationError, AttributeError):
            self.clf.device.mute()

    def close(self) -> None:
        with contextlib.suppress(OSError, AttributeError, nfc.clf.CommunicationError):
            self.clf.close()

    def __enter__(self) -> NfcReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
