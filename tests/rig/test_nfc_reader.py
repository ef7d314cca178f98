"""The virtual PN532 as its manual (NXP UM0701) and a real host see it: nfcpy opens it and
runs a whole tap (poll to approval) against a watch in pay mode; on the wire, a frame with
a bad checksum is not acknowledged and the next good frame is answered, a host NACK gets
the last answer again, a malformed command gets the syntax-error frame."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import serial

from lab import rig
from lab.device.factory import open_dut
from lab.inventory import load_inventory
from lab.pay import terminal
from lab.pay.wallet import provision
from lab.protocols import emv
from lab.rig.nfc import NoCard
from tests.payment_data import CARD, PIN

ACK = bytes.fromhex("0000ff00ff00")
NACK = bytes.fromhex("0000ffff0000")
SYNTAX_ERROR = bytes.fromhex("0000ff01ff7f8100")


def frame(data: bytes) -> bytes:
    body = b"\xd4" + data
    return (
        bytes([0, 0, 0xFF, len(body), (-len(body)) & 0xFF]) + body + bytes([(-sum(body)) & 0xFF, 0])
    )


def answer(data: bytes) -> bytes:
    body = b"\xd5" + data
    return (
        bytes([0, 0, 0xFF, len(body), (-len(body)) & 0xFF]) + body + bytes([(-sum(body)) & 0xFF, 0])
    )


VERSION = answer(b"\x03\x32\x01\x06\x07")  # GetFirmwareVersion: a PN532 v1.6


@pytest.fixture
def reader_port(farm) -> str:
    record = Path(farm.env["LAB_RUNTIME_DIR"]) / "sim" / "parts" / "t-nfc.json"
    return json.loads(record.read_text())["port"]


@pytest.fixture
def wire(reader_port):
    with serial.Serial(reader_port, 115200, timeout=0.5) as port:
        port.reset_input_buffer()
        yield port


def read(port: serial.Serial, size: int) -> bytes:
    return port.read(size)


def test_get_firmware_version_is_acknowledged_then_answered(wire):
    wire.write(bytes(10) + frame(b"\x02"))  # nfcpy's long preamble, then the command
    assert read(wire, 6) == ACK
    assert read(wire, len(VERSION)) == VERSION


def test_a_bad_checksum_is_not_acknowledged_and_the_next_good_frame_is(wire):
    bad = bytearray(frame(b"\x02"))
    bad[-2] ^= 0xFF  # the data checksum
    wire.write(bytes(bad))
    assert read(wire, 6) == b""  # silence: no ACK, no answer
    wire.write(frame(b"\x02"))
    assert read(wire, 6) == ACK
    assert read(wire, len(VERSION)) == VERSION


def test_a_bad_length_checksum_is_not_acknowledged(wire):
    bad = bytearray(frame(b"\x02"))
    bad[4] ^= 0x01  # LCS
    wire.write(bytes(bad))
    assert read(wire, 6) == b""


def test_a_nack_gets_the_last_answer_again(wire):
    wire.write(frame(b"\x02"))
    assert read(wire, 6) == ACK
    first = read(wire, len(VERSION))
    assert first == VERSION
    wire.write(NACK)
    assert read(wire, len(VERSION)) == first


@pytest.mark.parametrize(
    "data",
    [
        b"\x99",  # no such command
        b"\x14\x09",  # SAMConfiguration with mode 9
        b"\x4a\x07\x00",  # InListPassiveTarget with MaxTg 7
        b"\x06\x63",  # ReadRegister with half an address
    ],
)
def test_a_malformed_command_gets_the_syntax_error_frame(wire, data):
    wire.write(frame(data))
    assert read(wire, 6) == ACK
    assert read(wire, 8) == SYNTAX_ERROR


def test_an_extended_frame_is_echoed_by_the_line_test(wire):
    """Diagnose's communication line test with 262 bytes: extended frames both ways."""
    data = b"\x00\x00" + bytes(range(256)) + bytes(5)  # Diagnose, NumTst 0 (echo), 261 bytes
    body = b"\xd4" + data
    size = len(body).to_bytes(2, "big")
    wire.write(
        b"\x00\x00\xff\xff\xff"
        + size
        + bytes([(-sum(size)) & 0xFF])
        + body
        + bytes([(-sum(body)) & 0xFF, 0])
    )
    assert read(wire, 6) == ACK
    echoed = data[1:]  # NumTst and the bytes after it
    reply = read(wire, 8 + 2 + len(echoed) + 2)
    assert reply[:5] == b"\x00\x00\xff\xff\xff"
    assert reply[8:-2] == b"\xd5\x01" + echoed


@pytest.fixture
def inventory(farm):
    return load_inventory(farm.inventory)


def test_nfcpy_runs_a_whole_tap_from_poll_to_approval(farm, inventory, sandbox, shop, monkeypatch):
    """nfcpy opens the reader, polls, activates the watch's card (ISO-DEP), the terminal
    runs the EMV exchange and the sandbox approves the cryptogram."""
    monkeypatch.setenv("LAB_RUNTIME_DIR", farm.env["LAB_RUNTIME_DIR"])
    dut = open_dut(inventory, "t-watch", log_dir=Path("/tmp"), timeout=20)
    try:
        access = provision(dut, sandbox, PIN, CARD, 10_000)
        dut.shell(["am", "start", "-n", "com.tos.wallet/.PayCode"], check=True)
        time.sleep(0.3)
        with rig.open(dut, "nfc_reader") as reader:
            read = terminal.tap(reader, 1234)
            tags = emv.decode(read.icc_data)
            assert (
                tags["5A"].hex().rstrip("f").upper() == access.card.token
            )  # a token, not the card
            charge = shop.nfc_authorize(1234, read.icc_data, "a tap")
            assert charge["status"] == "succeeded", charge
            dut.ui.press("home")  # out of pay mode: no card in the field any more
            with pytest.raises(NoCard):
                reader.wait_card(timeout=1.0)
    finally:
        dut.close()
