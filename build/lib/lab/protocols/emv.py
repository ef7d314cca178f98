"""The contactless card exchange a TOS+ wallet answers through host card emulation, as EMV
defines it: SELECT PPSE -> SELECT AID -> GET PROCESSING OPTIONS -> READ RECORD ->
GENERATE AC. The card shows a payment token (a DPAN), never the card number behind it,
and signs each transaction with an ARQC (Visa CVN 10, computed by pyemv) that only the
issuer (the sandbox) can check. BER-TLV coding is pyemv's.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pyemv
from pyemv import ac as emv_ac
from pyemv import kd

PPSE = b"2PAY.SYS.DDF01"
AID = bytes.fromhex("F0544F53504159")  # proprietary RID F0 + "TOSPAY"
LABEL = b"TOS Pay"
SW_OK = b"\x90\x00"
SW_NOT_FOUND = b"\x6a\x82"  # file or application not found
SW_WRONG_P1P2 = b"\x6a\x86"
SW_INS_UNKNOWN = b"\x6d\x00"
SW_CLA_UNKNOWN = b"\x6e\x00"
SW_CONDITIONS = b"\x69\x85"  # conditions of use not satisfied
SW_WRONG_LENGTH = b"\x67\x00"
SW_RECORD_NOT_FOUND = b"\x6a\x83"

AIP = b"\x20\x00"  # application interchange profile: cardholder verification supported
# the transaction data the terminal sends (PDOL in GPO, CDOL1 in GENERATE AC), in order
CDOL = (
    ("9F02", 6),  # amount, authorised (n12, BCD)
    ("9F03", 6),  # amount, other
    ("9F1A", 2),  # terminal country code
    ("95", 5),  # terminal verification results
    ("5F2A", 2),  # transaction currency code
    ("9A", 3),  # transaction date YYMMDD
    ("9C", 1),  # transaction type
    ("9F37", 4),  # unpredictable number
)
CNY = b"\x01\x56"  # ISO 4217 numeric 156, BCD
CHINA = b"\x01\x56"  # ISO 3166 numeric 156, BCD
CVR_CDCVM = 0x01  # our CVR's last byte: the cardholder was verified on the device


@dataclass(frozen=True)
class Transaction:
    """What the terminal asks the card to sign (the CDOL1 fields, decoded)."""

    amount: int  # fen
    currency: bytes
    country: bytes
    tvr: bytes
    date: bytes
    kind: int
    unpredictable: bytes
    other: int = 0

    def dol(self) -> bytes:
        return (
            bcd(self.amount, 6)
            + bcd(self.other, 6)
            + self.country
            + self.tvr
            + self.currency
            + self.date
            + bytes([self.kind])
            + self.unpredictable
        )

    def tags(self) -> dict[str, bytes]:
        """The fields by EMV tag, as the terminal sends them to the issuer (ICC data)."""
        data, found, at = self.dol(), {}, 0
        for tag, size in CDOL:
            found[tag] = data[at : at + size]
            at += size
        return found

    @classmethod
    def from_dol(cls, data: bytes) -> Transaction:
        if len(data) != dol_length():
            raise ValueError(f"transaction data is {len(data)} bytes, not {dol_length()}")
        fields, at = {}, 0
        for tag, size in CDOL:
            fields[tag] = data[at : at + size]
            at += size
        return cls(
            amount=from_bcd(fields["9F02"]),
            other=from_bcd(fields["9F03"]),
            country=fields["9F1A"],
            tvr=fields["95"],
            currency=fields["5F2A"],
            date=fields["9A"],
            kind=fields["9C"][0],
            unpredictable=fields["9F37"],
        )


def dol_length() -> int:
    return sum(size for _, size in CDOL)


def dol_template() -> bytes:
    """CDOL1 / PDOL as the card lists it: tag and length of each field."""
    out = b""
    for tag, size in CDOL:
        out += bytes.fromhex(tag) + bytes([size])
    return out


def bcd(value: int, size: int) -> bytes:
    text = str(value).rjust(size * 2, "0")
    if len(text) > size * 2:
        raise ValueError(f"{value} does not fit in {size} BCD bytes")
    return bytes.fromhex(text)


def from_bcd(data: bytes) -> int:
    return int(data.hex())


def encode(data: dict) -> bytes:
    return pyemv.tlv.encode(data)


def decode(data: bytes) -> dict:
    return pyemv.tlv.decode(data)


def select(name: bytes) -> bytes:
    return b"\x00\xa4\x04\x00" + bytes([len(name)]) + name + b"\x00"


def gpo(transaction: Transaction) -> bytes:
    body = b"\x83" + bytes([dol_length()]) + transaction.dol()
    return b"\x80\xa8\x00\x00" + bytes([len(body)]) + body + b"\x00"


def read_record(number: int, sfi: int) -> bytes:
    return b"\x00\xb2" + bytes([number, (sfi << 3) | 4]) + b"\x00"


def generate_ac(transaction: Transaction) -> bytes:
    dol = transaction.dol()
    return b"\x80\xae\x80\x00" + bytes([len(dol)]) + dol + b"\x00"


def icc_master_key(issuer_key: bytes, token: str, psn: str = "00") -> bytes:
    """The card's own key, derived from the issuer's (EMV option A)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # see cryptogram()
        return kd.derive_icc_mk_a(issuer_key, token, psn)


def cryptogram(icc_key: bytes, transaction: Transaction, atc: int, cvr: bytes) -> bytes:
    """The ARQC over the transaction (Visa CVN 10 data and padding)."""
    data = transaction.dol() + AIP + atc.to_bytes(2, "big") + cvr
    with warnings.catch_warnings():
        # pyemv keys 3DES with 16 bytes, as EMV does; cryptography warns about its future
        warnings.simplefilter("ignore")
        return emv_ac.generate_ac(icc_key, data, emv_ac.PaddingType.VISA, 8)
