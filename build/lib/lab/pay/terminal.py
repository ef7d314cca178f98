"""The terminal's side of a contactless payment: the EMV exchange with the card in the
reader's field (SELECT PPSE, SELECT AID, GET PROCESSING OPTIONS, READ RECORD, GENERATE AC)
and the ICC data (DE 55 style BER-TLV) the shop then sends for authorisation. The token
the card shows is registered for redaction as soon as it is read."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from lab.errors import ProductFailure
from lab.protocols import emv
from lab.redaction import register
from lab.rig.nfc import Card, NfcReader


class CardRefused(ProductFailure):
    """The card answered a step of the exchange with an error status."""


@dataclass(frozen=True)
class CardRead:
    icc_data: bytes
    atc: int
    cryptogram_type: int  # 0x80 ARQC (online), 0x40 TC, 0x00 AAC
    seconds: float  # field on -> GENERATE AC answered
    steps: tuple[tuple[str, float], ...]  # (step, seconds) for reports


def _flatten(node: dict, into: dict[str, bytes]) -> dict[str, bytes]:
    for tag, value in node.items():
        if isinstance(value, dict):
            _flatten(value, into)
        else:
            into[tag.upper()] = value
    return into


def _step(card: Card, name: str, apdu: bytes) -> dict[str, bytes]:
    answer = card.transceive(apdu)
    if answer[-2:] != emv.SW_OK:
        raise CardRefused(f"{name}: the card answered {answer[-2:].hex().upper()}")
    return _flatten(emv.decode(answer[:-2]), {}) if len(answer) > 2 else {}


def transaction(amount: int) -> emv.Transaction:
    today = time.strftime("%y%m%d")
    return emv.Transaction(
        amount=amount,
        currency=emv.CNY,
        country=emv.CHINA,
        tvr=bytes(5),
        date=bytes.fromhex(today),
        kind=0x00,  # goods and services
        unpredictable=secrets.token_bytes(4),
    )


def tap(reader: NfcReader, amount: int, timeout: float = 5.0) -> CardRead:
    """Wait for a card and run the exchange for `amount` fen."""
    started = time.monotonic()
    card = reader.wait_card(timeout)
    steps = [("card in the field", time.monotonic() - started)]
    try:
        ppse = _step(card, "SELECT PPSE", emv.select(emv.PPSE))
        aid = ppse.get("4F")
        if aid is None:
            raise CardRefused("SELECT PPSE: no application listed")
        steps.append(("SELECT PPSE", time.monotonic() - started))
        _step(card, "SELECT AID", emv.select(aid))
        steps.append(("SELECT AID", time.monotonic() - started))
        signed = transaction(amount)
        gpo = _step(card, "GET PROCESSING OPTIONS", emv.gpo(signed))
        steps.append(("GET PROCESSING OPTIONS", time.monotonic() - started))
        record: dict[str, bytes] = {}
        afl = gpo.get("94", b"")
        for at in range(0, len(afl), 4):
            sfi, first, last = afl[at] >> 3, afl[at + 1], afl[at + 2]
            for number in range(first, last + 1):
                record.update(_step(card, "READ RECORD", emv.read_record(number, sfi)))
        steps.append(("READ RECORD", time.monotonic() - started))
        token = record.get("5A", b"").hex().rstrip("f").upper()
        if token:
            register(token, "payment token")
        ac = _step(card, "GENERATE AC", emv.generate_ac(signed))
        seconds = time.monotonic() - started
        steps.append(("GENERATE AC", seconds))
    finally:
        reader.field_off()
    icc = {
        **{tag: record[tag] for tag in ("5A", "5F34", "5F24") if tag in record},
        "82": gpo.get("82", b""),
        **{tag: ac[tag] for tag in ("9F36", "9F26", "9F27", "9F10") if tag in ac},
        **signed.tags(),
    }
    return CardRead(
        icc_data=emv.encode(icc),
        atc=int.from_bytes(ac.get("9F36", b"\x00\x00"), "big"),
        cryptogram_type=ac.get("9F27", b"\x00")[0],
        seconds=seconds,
        steps=tuple(steps),
    )
