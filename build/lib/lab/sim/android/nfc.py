"""The device's NFC controller in card emulation: the reader beside it (a virtual PN532,
lab.sim.peripherals) reaches it through `nfc.sock` in the device's folder: the RF field
between them. Messages are length-prefixed; the controller does ISO 14443-3A activation
and the ISO-DEP (14443-4) block protocol, and hands complete APDUs to the host card
emulation service (the wallet) while it is in pay mode, as Android's NFC stack does.

Air messages (2-byte big-endian length, then):
  01            poll (REQA, anticollision, SELECT): answer 01 ATQA(2) SAK UIDLEN UID, or 00
  02 FRAME      a frame from RATS on: answer 02 FRAME, or 00 (no answer: a timeout)
  03            field off
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import struct
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

log = logging.getLogger("nfc")

POLL, FRAME, FIELD_OFF = 0x01, 0x02, 0x03
ATQA = b"\x00\x04"  # what an Android phone in HCE answers
SAK = 0x20  # ISO 14443-4 compliant
# ATS: FSCI 8 (256 bytes), TA/TB/TC present; FWI 9 (~155 ms); no NAD, CID supported
ATS = bytes.fromhex("0578809002")


class Card(Protocol):
    def apdu(self, command: bytes) -> bytes: ...
    def reset(self) -> None: ...


def read_message(sock: socket.socket) -> bytes | None:
    head = _read_exact(sock, 2)
    if head is None:
        return None
    (length,) = struct.unpack(">H", head)
    return _read_exact(sock, length)


def write_message(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(struct.pack(">H", len(payload)) + payload)


def _read_exact(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


class IsoDepCard:
    """One activation of the emulated card: 14443-3 select, then 14443-4 blocks."""

    def __init__(self, card: Card) -> None:
        self.card = card
        self.uid = b"\x08" + secrets.token_bytes(3)  # random, 08h-prefixed, per activation
        self.active = False  # after RATS
        self.block = 0  # the card's block number
        self._last = b""  # the last block sent (resent on R(NAK))
        self._chained = b""

    def frame(self, data: bytes) -> bytes | None:
        if not data:
            return None
        if not self.active:
            if data[0] == 0xE0 and len(data) >= 2:  # RATS
                self.active = True
                return ATS
            return None
        pcb = data[0]
        at = 1 + (1 if pcb & 0x08 else 0) + (1 if (pcb & 0x04 and pcb & 0xC0 == 0) else 0)
        prefix = data[:at] if pcb & 0x08 else bytes([pcb])  # keep a CID the reader sent
        if pcb & 0xE2 == 0x02:  # I-block
            self.block = pcb & 1
            self._chained += data[at:]
            if pcb & 0x10:  # chaining: acknowledge, wait for the rest
                return self._send(bytes([0xA2 | self.block]) + prefix[1:])
            apdu, self._chained = self._chained, b""
            answer = self.card.apdu(apdu)
            return self._send(bytes([0x02 | self.block | (pcb & 0x08)]) + prefix[1:] + answer)
        if pcb & 0xE6 == 0xA2:  # R-block
            if pcb & 0x10:  # NAK: the reader missed our last block
                return self._last if (pcb & 1) == self.block else bytes([0xA2 | self.block])
            return self._last  # ACK of a chained answer we never send: repeat
        if pcb & 0xF7 == 0xC2:  # S(DESELECT)
            self.active = False
            self.card.reset()
            return bytes([pcb])
        return None

    def _send(self, block: bytes) -> bytes:
        self._last = block
        return block


class NfcController:
    def __init__(self, path: Path, card: Callable[[], Card | None]) -> None:
        self.path = path
        self._card = card  # the HCE service for now, or None (not in pay mode)
        self._server: socket.socket | None = None
        self._stopped = threading.Event()
        self.enabled = True

    def start(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(self.path))
        os.chmod(self.path, 0o600)
        server.listen(4)
        self._server = server
        threading.Thread(target=self._accept, daemon=True, name="nfc-field").start()

    def stop(self) -> None:
        self._stopped.set()
        if self._server is not None:
            with contextlib.suppress(OSError):
                self._server.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._server.accept()  # type: ignore[union-attr]
            except OSError:
                return
            threading.Thread(target=self._field, args=(conn,), daemon=True, name="nfc-rf").start()

    def _field(self, conn: socket.socket) -> None:
        """One reader in range: its polls and frames until it goes."""
        session: IsoDepCard | None = None
        with conn:
            while not self._stopped.is_set():
                try:
                    message = read_message(conn)
                except OSError:
                    return
                if message is None:
                    return
                kind, payload = message[0] if message else 0, message[1:]
                answer = b"\x00"
                if kind == POLL:
                    card = self._card() if self.enabled else None
                    if session is not None:
                        session.card.reset()
                    session = IsoDepCard(card) if card is not None else None
                    if session is not None:
                        answer = bytes([POLL]) + ATQA + bytes([SAK, len(session.uid)]) + session.uid
                elif kind == FRAME and session is not None:
                    current = self._card() if self.enabled else None
                    if current is not session.card:  # the card left pay mode: it is gone
                        session = None
                    else:
                        reply = session.frame(payload)
                        if reply is not None:
                            answer = bytes([FRAME]) + reply
                elif kind == FIELD_OFF:
                    if session is not None:
                        session.card.reset()
                    session = None
                try:
                    write_message(conn, answer)
                except OSError:
                    return
