"""A PN532's firmware as its host sees it over UART (NXP UM0701): every frame with a good
checksum is acknowledged, then answered; a bad checksum gets no ACK (the host times out
and sends again); a host NACK gets the last answer again; a malformed or unknown command
gets the syntax-error frame. As an initiator it polls and talks to the card in front of
it through the RF field (air.py): ISO 14443-A activation, raw frames
(InCommunicateThru) and ISO-DEP with its own block numbers (InDataExchange)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from lab.sim.peripherals import frames
from lab.sim.peripherals.air import Air

log = logging.getLogger("pn532")

FIRMWARE = bytes([0x32, 0x01, 0x06, 0x07])  # IC PN532, version 1.6, ISO A/B + FeliCa
FIFO_DATA = 0x6339
SENS_REQ = 0x26
AUTO_RATS = 0x10  # SetParameters: fAutomaticRATS
RATS = bytes.fromhex("E050")  # FSDI 5 (64 bytes), CID 0: what the firmware sends itself
TIMEOUT, NOT_ACCEPTABLE = 0x01, 0x27  # status bytes (UM0701 7.1)


class SyntaxErr(Exception):
    """The command is malformed or unknown: answered with the syntax-error frame."""


class Target:
    def __init__(self, atqa: bytes, sak: int, uid: bytes) -> None:
        self.atqa, self.sak, self.uid = atqa, sak, uid
        self.iso_dep = False  # activated by the firmware (RATS): InDataExchange wraps blocks
        self.block = 0


class Pn532:
    def __init__(self, air: Air, write: Callable[[bytes], None]) -> None:
        self.air = air
        self.write = write
        self.flags = 0x14  # SetParameters default: automatic ATR_RES and RATS
        self.registers: dict[int, int] = {FIFO_DATA: 0x00}
        self.field = False
        self.target: Target | None = None
        self.sam_mode = 1
        self._last = b""  # the last answer, for a NACK
        self._buffer = bytearray()
        self._commands: dict[int, Callable[[bytes], bytes]] = {
            0x00: self._diagnose,
            0x02: lambda data: FIRMWARE,
            0x04: self._general_status,
            0x06: self._read_register,
            0x08: self._write_register,
            0x0C: lambda data: b"\xff\xff\x00",
            0x0E: lambda data: b"",
            0x10: self._set_baudrate,
            0x12: self._set_parameters,
            0x14: self._sam_configuration,
            0x16: lambda data: b"\x00",
            0x32: self._rf_configuration,
            0x40: self._data_exchange,
            0x42: self._communicate_thru,
            0x44: self._deselect,
            0x4A: self._list_passive_target,
            0x52: self._release,
            0x54: self._select,
        }

    # -- the UART
    def feed(self, data: bytes) -> None:
        self._buffer += data
        while self._buffer:
            parsed, used = frames.parse(self._buffer)
            if used:
                del self._buffer[:used]
            if parsed is None:
                if not used:
                    return  # wait for the rest of the frame
                continue
            self._handle(parsed)

    def _handle(self, parsed: frames.Parsed) -> None:
        if parsed.kind == "bad":
            log.info("frame with a bad checksum: not acknowledged")
            return
        if parsed.kind == "nack":
            if self._last:
                self.write(self._last)
            return
        if parsed.kind == "ack":
            return  # the host cancels: nothing runs in the background here
        self.write(frames.ACK)
        if parsed.tfi != frames.HOST or not parsed.data:
            self._answer(frames.ERROR)
            return
        code, args = parsed.data[0], parsed.data[1:]
        handler = self._commands.get(code)
        try:
            if handler is None:
                raise SyntaxErr(f"unknown command 0x{code:02x}")
            result = handler(args)
        except (SyntaxErr, IndexError) as exc:
            log.info("syntax error: %s", exc)
            self._answer(frames.ERROR)
            return
        self._answer(frames.encode(bytes([code + 1]) + result))

    def _answer(self, frame: bytes) -> None:
        self._last = frame
        self.write(frame)

    # -- miscellaneous commands
    def _diagnose(self, data: bytes) -> bytes:
        if not data:
            raise SyntaxErr("Diagnose without NumTst")
        if data[0] == 0x00:  # communication line test: echo
            return data
        if data[0] in (0x01, 0x02):  # ROM, RAM checks
            return b"\x00"
        raise SyntaxErr(f"Diagnose test 0x{data[0]:02x} is not supported")

    def _general_status(self, data: bytes) -> bytes:
        targets = b"\x00"
        if self.target is not None:
            targets = b"\x01\x01\x00\x00\x00"  # one target at 106 kbps type A
        return b"\x00" + bytes([int(self.field)]) + targets + b"\x00"

    def _read_register(self, data: bytes) -> bytes:
        if not data or len(data) % 2:
            raise SyntaxErr("ReadRegister takes 2-byte addresses")
        addresses = [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]
        return bytes(self.registers.get(address, 0) for address in addresses)

    def _write_register(self, data: bytes) -> bytes:
        if not data or len(data) % 3:
            raise SyntaxErr("WriteRegister takes address (2 bytes) and value triples")
        for i in range(0, len(data), 3):
            self.registers[int.from_bytes(data[i : i + 2], "big")] = data[i + 2]
        return b""

    def _set_baudrate(self, data: bytes) -> bytes:
        if len(data) != 1 or data[0] > 8:
            raise SyntaxErr("SetSerialBaudrate takes one rate 0-8")
        return b""  # a pty has no baud rate: every rate works

    def _set_parameters(self, data: bytes) -> bytes:
        if len(data) != 1:
            raise SyntaxErr("SetParameters takes one flags byte")
        self.flags = data[0]
        return b""

    def _sam_configuration(self, data: bytes) -> bytes:
        if not data or data[0] not in (1, 2, 3, 4):
            raise SyntaxErr("SAMConfiguration mode is 1-4")
        self.sam_mode = data[0]
        return b""

    def _rf_configuration(self, data: bytes) -> bytes:
        if not data:
            raise SyntaxErr("RFConfiguration without CfgItem")
        item = data[0]
        if item == 0x01:  # RF field: bit 1 AutoRFCA, bit 0 RF on
            if len(data) < 2:
                raise SyntaxErr("RFConfiguration item 1 takes one byte")
            on = bool(data[1] & 0x01)
            if self.field and not on:
                self._field_off()
            self.field = on
        return b""

    def _field_off(self) -> None:
        self.target = None
        self.air.field_off()

    # -- initiator commands
    def _list_passive_target(self, data: bytes) -> bytes:
        if len(data) < 2 or data[0] not in (1, 2) or data[1] > 8:
            raise SyntaxErr("InListPassiveTarget takes MaxTg 1-2 and BrTy 0-8")
        self.field = True
        self.target = None
        if data[1] != 0:  # FeliCa, type B, Jewel: a phone in HCE answers type A only
            return b"\x00"
        found = self.air.poll()
        if found is None:
            self.registers[FIFO_DATA] = SENS_REQ  # the request is still in the FIFO
            return b"\x00"
        atqa, sak, uid = found
        self.registers[FIFO_DATA] = 0x00
        target = Target(atqa, sak, uid)
        answer = b"\x01\x01" + atqa + bytes([sak, len(uid)]) + uid
        if sak & 0x20 and self.flags & AUTO_RATS:
            ats = self.air.frame(RATS)
            if ats is None:
                return b"\x00"
            target.iso_dep = True
            answer += ats
        self.target = target
        return answer

    def _communicate_thru(self, data: bytes) -> bytes:
        if not data:
            raise SyntaxErr("InCommunicateThru without data")
        if not self.field:
            return bytes([NOT_ACCEPTABLE])
        reply = self.air.frame(data)
        return bytes([TIMEOUT]) if reply is None else b"\x00" + reply

    def _data_exchange(self, data: bytes) -> bytes:
        if len(data) < 1:
            raise SyntaxErr("InDataExchange without Tg")
        target = self.target
        if target is None or data[0] & 0x0F != 1:
            return bytes([NOT_ACCEPTABLE])
        payload = data[1:]
        if not target.iso_dep:
            reply = self.air.frame(payload)
            return bytes([TIMEOUT]) if reply is None else b"\x00" + reply
        return self._iso_dep(target, payload)

    def _iso_dep(self, target: Target, apdu: bytes) -> bytes:
        """ISO-DEP as the firmware runs it for InDataExchange: one I-block out, the card's
        chained answer gathered (R(ACK) for more), S(WTX) answered."""
        reply = self.air.frame(bytes([0x02 | target.block]) + apdu)
        answer = b""
        for _ in range(64):
            if reply is None:
                return bytes([TIMEOUT])
            pcb = reply[0]
            if pcb & 0xF7 == 0xF2:  # S(WTX): grant it
                reply = self.air.frame(reply[:2])
                continue
            if pcb & 0xE2 != 0x02:
                return bytes([0x29])  # not an I-block: a protocol error of the target
            answer += reply[1:]
            target.block ^= 1
            if not pcb & 0x10:
                return b"\x00" + answer
            reply = self.air.frame(bytes([0xA2 | target.block]))
        return bytes([0x29])

    def _deselect(self, data: bytes) -> bytes:
        if not data:
            raise SyntaxErr("InDeselect without Tg")
        if self.target is not None and self.target.iso_dep:
            self.air.frame(b"\xc2")
            self.target.iso_dep = False
        return b"\x00"

    def _release(self, data: bytes) -> bytes:
        if not data:
            raise SyntaxErr("InRelease without Tg")
        if self.target is not None and self.target.iso_dep:
            self.air.frame(b"\xc2")
        self.target = None
        return b"\x00"

    def _select(self, data: bytes) -> bytes:
        if not data:
            raise SyntaxErr("InSelect without Tg")
        return b"\x00" if self.target is not None else bytes([NOT_ACCEPTABLE])
