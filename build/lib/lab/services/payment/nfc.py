"""NFC: what a terminal read in a card exchange (the ICC data), authorised as the issuer
does: the cryptogram checked with the card's key, the counter against replays, the
cardholder verification against the PIN limit, and every signed field that decides what
is paid against what the request asks."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from lab.protocols import emv
from lab.services.db import LOCK
from lab.services.errors import ApiError
from lab.services.payment.charges import Outcome, decide, decline, new_charge
from lab.services.payment.models import Wallet
from lab.services.payment.provisioning import issuer_key
from lab.services.payment.schemas import NfcAuthorizeIn
from lab.services.payment.views import charge as charge_view
from lab.services.principal import Principal

REQUIRED_TAGS = {
    "5A": "application PAN (the payment token)",
    "5F34": "PAN sequence number",
    "82": "application interchange profile",
    "9F36": "application transaction counter",
    "9F26": "application cryptogram",
    "9F27": "cryptogram information data",
    "9F10": "issuer application data",
    **{tag: "transaction data" for tag, _ in emv.CDOL},
}


def nfc_authorize(session: Session, merchant: Principal, body: NfcAuthorizeIn) -> Outcome:
    tags = _icc_tags(body.icc_data)
    transaction = emv.Transaction.from_dol(b"".join(tags[tag] for tag, _ in emv.CDOL))
    _signed_as_asked(transaction, body)
    token = tags["5A"].hex().rstrip("f").upper()
    wallet = session.scalars(
        select(Wallet).where(Wallet.card_token == token).with_for_update(**LOCK)
    ).first()
    if wallet is None:
        raise ApiError(402, "card_not_recognised", "the card's token is not one of this issuer's")
    row = new_charge(session, merchant.id, wallet, body.amount, body.description, "nfc")
    atc = int.from_bytes(tags["9F36"], "big")
    iad = tags["9F10"]
    cvr = iad[3:7] if len(iad) >= 7 else b""
    icc_key = emv.icc_master_key(issuer_key(session), token, tags["5F34"].hex()[-2:])
    expected = emv.cryptogram(icc_key, transaction, atc, cvr) if len(cvr) == 4 else b""
    if tags["9F26"] != expected:
        decline(session, row, wallet, None, "cryptogram_invalid")
    elif atc <= wallet.last_atc:
        decline(session, row, wallet, None, "replayed")
    else:
        wallet.last_atc = atc
        verified_on_device = bool(cvr[3] & emv.CVR_CDCVM)
        if row.amount > wallet.pin_limit and not verified_on_device:
            decline(session, row, wallet, None, "cvm_required")
        else:
            decide(session, row, wallet, None, pin_checked=verified_on_device)
    return 200, charge_view(row)


CURRENCIES = {"CNY": emv.CNY}  # ISO 4217 numeric, BCD, of the currencies a request may name
TRANSACTION_TYPES = {0x00: "goods and services"}  # 9C; cash (01), cashback (09), refund (20)
DATE_SLACK = 86400  # a terminal's clock and time zone may differ from ours by up to a day


def _signed_as_asked(signed: emv.Transaction, body: NfcAuthorizeIn) -> None:
    """Every field the card signed that decides what is paid must be what the request asks:
    the amount, the currency, no other amount (cashback), a purchase, today's date. The
    cryptogram proves only what was signed; a till that sends other values is refused."""

    def refuse(tag: str, what: str, signed_value: str, asked: str) -> ApiError:
        return ApiError(
            400,
            "parameter_invalid",
            f"icc_data: {tag} ({what}) is {signed_value}, {asked}",
            param="icc_data",
        )

    if signed.amount != body.amount:
        raise refuse("9F02", "amount", f"{signed.amount} fen", f"the request says {body.amount}")
    if signed.currency != CURRENCIES[body.currency]:
        raise refuse("5F2A", "currency", signed.currency.hex(), f"the request says {body.currency}")
    if signed.other != 0:
        raise refuse("9F03", "amount, other", f"{signed.other} fen", "cashback is not offered")
    if signed.kind not in TRANSACTION_TYPES:
        raise refuse("9C", "transaction type", f"{signed.kind:02X}", "only 00 (a purchase)")
    try:
        day = time.mktime(time.strptime(signed.date.hex(), "%y%m%d"))
    except ValueError:
        raise refuse("9A", "transaction date", signed.date.hex(), "not a YYMMDD date") from None
    if abs(day + 43200 - time.time()) > 43200 + DATE_SLACK:
        raise refuse("9A", "transaction date", signed.date.hex(), "not today")


def _icc_tags(icc_hex: str) -> dict[str, bytes]:
    try:
        decoded = emv.decode(bytes.fromhex(icc_hex))
    except Exception as exc:
        raise ApiError(
            400, "parameter_invalid", f"icc_data: not BER-TLV ({exc})", param="icc_data"
        ) from None
    flat: dict[str, bytes] = {}

    def walk(node: dict) -> None:
        for tag, value in node.items():
            if isinstance(value, dict):
                walk(value)
            else:
                flat[tag.upper()] = value

    walk(decoded)
    for tag, what in REQUIRED_TAGS.items():
        if tag not in flat:
            raise ApiError(
                400, "parameter_invalid", f"icc_data: tag {tag} ({what}) missing", param="icc_data"
            )
    for tag, size in emv.CDOL:
        if len(flat[tag]) != size:
            raise ApiError(
                400,
                "parameter_invalid",
                f"icc_data: tag {tag} is {len(flat[tag])} bytes, not {size}",
                param="icc_data",
            )
    return flat
