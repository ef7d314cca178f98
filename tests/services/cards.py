"""What a terminal reads from a wallet's card, made here as the card would make it (EMV,
lab.protocols.emv): the records, and a cryptogram over whatever transaction data the
terminal asked it to sign, honest or not. For tests of the issuer's checks."""

from __future__ import annotations

import secrets
import time

from lab.cloud.payment import WalletAccess
from lab.protocols import emv

USD = b"\x08\x40"  # ISO 4217 numeric 840


def transaction(amount: int, **changes: object) -> emv.Transaction:
    fields: dict = {
        "amount": amount,
        "currency": emv.CNY,
        "country": emv.CHINA,
        "tvr": bytes(5),
        "date": bytes.fromhex(time.strftime("%y%m%d")),
        "kind": 0x00,
        "unpredictable": secrets.token_bytes(4),
        **changes,
    }
    return emv.Transaction(**fields)


def icc_data(
    wallet: WalletAccess, signed: emv.Transaction, atc: int, verified: bool = False
) -> bytes:
    """The ICC data of one tap: the card's records and its ARQC over `signed`."""
    card = wallet.card
    cvr = bytes([0x03, 0xA0, 0x00, emv.CVR_CDCVM if verified else 0x00])
    cryptogram = emv.cryptogram(bytes.fromhex(card.icc_key), signed, atc, cvr)
    tags = {
        "5A": bytes.fromhex(card.token + "F" * (len(card.token) % 2)),
        "5F34": bytes.fromhex(card.psn),
        "5F24": bytes.fromhex(card.expiry),
        "82": emv.AIP,
        "9F36": atc.to_bytes(2, "big"),
        "9F26": cryptogram,
        "9F27": b"\x80",
        "9F10": b"\x06\x01\x0a" + cvr,
        **signed.tags(),
    }
    return emv.encode(tags)
