"""Redaction works on bytes whatever their encoding: a console line with a stray byte, a
chunk cut in the middle of a character, a Latin-1 log; pictures are left as they are."""

from __future__ import annotations

import time

import pytest

from lab.device.console import Console
from lab.redaction import SECRETS, register

PIN = "739154"
CARD = "4111111111111111"


@pytest.fixture(autouse=True)
def secrets():
    register(PIN, "PIN")
    register("口令9911", "passphrase")


@pytest.mark.parametrize(
    "raw",
    [
        b"\xff\xfe PIN " + PIN.encode() + b" card " + CARD.encode() + b" \x80",  # not UTF-8
        "支付成功".encode()[:-1] + PIN.encode() + CARD.encode()[:0] + b" " + CARD.encode(),
        ("Kontoinhaber Müller " + PIN + " " + CARD).encode("latin-1"),
    ],
    ids=["stray-bytes", "cut-mid-character", "latin-1"],
)
def test_a_secret_in_any_bytes_is_hidden(raw):
    hidden = SECRETS.redact_bytes(raw)
    assert PIN.encode() not in hidden and CARD.encode() not in hidden
    assert b"[PIN]" in hidden and b"411111******1111" in hidden
    assert hidden.replace(b"[PIN]", PIN.encode()).replace(b"411111******1111", CARD.encode()) == raw


def test_a_secret_with_other_characters_is_found_in_its_utf8_bytes():
    hidden = SECRETS.redact_bytes(b"\xc3 say " + "口令9911".encode() + b" \xff")
    assert "口令9911".encode() not in hidden and b"[passphrase]" in hidden


def test_a_picture_is_left_alone():
    png = b"\x89PNG\r\n\x1a\n" + PIN.encode() + CARD.encode()
    assert SECRETS.redact_bytes(png) == png


def test_a_console_line_with_a_stray_byte_reaches_the_log_redacted(tmp_path):
    console = Console("c-watch", "loop://", 115200, tmp_path / "console.log")
    try:
        console._port.write(
            b"wallet: pin=" + PIN.encode() + b" \xff\xfe card " + CARD.encode() + b"\r\n"
        )
        deadline = time.monotonic() + 5
        while b"wallet" not in console.log_path.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        console.close()
    logged = console.log_path.read_bytes()
    assert b"wallet: pin=[PIN]" in logged
    assert PIN.encode() not in logged and CARD.encode() not in logged
