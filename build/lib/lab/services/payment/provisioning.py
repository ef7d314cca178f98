"""What the lab sets up: merchants (with their API key) and a wallet per device (its
account and balance, PIN, payment-code secret, and a payment token for its card with the
card's key), answered once: the sandbox keeps only hashes of keys and the PIN."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from lab.protocols import emv, paycode
from lab.protocols.pan import luhn_ok, with_check_digit
from lab.services import vault
from lab.services.db import new_id
from lab.services.errors import ApiError
from lab.services.keys import key_hash, new_key, pin_hash
from lab.services.payment import ledger
from lab.services.payment.models import Account, Merchant, Setting, Wallet
from lab.services.payment.schemas import MerchantIn, WalletIn
from lab.services.payment.views import money

ISSUER_KEY = "issuer_master_key"
TOKEN_BIN = "629999"  # payment tokens (DPANs) come from a range of their own
CARD_EXPIRY = "301231"  # YYMMDD


def issuer_key(session: Session) -> bytes:
    """The issuer master key its cards' keys derive from (made on first use, kept
    sealed: every card's key derives from it)."""
    row = session.get(Setting, ISSUER_KEY)
    if row is None:
        sealed = vault.of(session).seal(secrets.token_hex(16), ISSUER_KEY)
        row = Setting(key=ISSUER_KEY, value=sealed)
        session.add(row)
        session.flush()
    return bytes.fromhex(vault.of(session).open(row.value, ISSUER_KEY))


def code_secret(session: Session, wallet: Wallet) -> str:
    """The wallet's payment-code secret (kept sealed, bound to the wallet)."""
    return vault.of(session).open(wallet.code_secret, f"code_secret {wallet.id}")


def create_merchant(session: Session, body: MerchantIn) -> tuple[int, dict]:
    key = new_key("sk_test")
    merchant_id = new_id("mch")
    acct = Account(id=new_id("acct"), kind="merchant", owner=merchant_id, balance=0)
    session.add(acct)
    session.flush()
    session.add(
        Merchant(id=merchant_id, name=body.name, key_hash=key_hash(key), account_id=acct.id)
    )
    return 201, {"id": merchant_id, "object": "merchant", "account": acct.id, "api_key": key}


def create_wallet(session: Session, body: WalletIn) -> tuple[int, dict]:
    if not luhn_ok(body.card_number):
        raise ApiError(
            400,
            "parameter_invalid",
            "card_number: fails the Luhn check; use a test card number (docs/PAYMENT.md)",
            param="card_number",
        )
    key = new_key("wk_test")
    wallet_id = new_id("wal")
    acct = Account(id=new_id("acct"), kind="customer", owner=wallet_id, balance=0)
    session.add(acct)
    session.flush()
    token = _unique_token(session)
    secret = paycode.new_secret()
    wallet = Wallet(
        id=wallet_id,
        device=body.device,
        account_id=acct.id,
        number=_unique_number(session),
        key_hash=key_hash(key),
        code_secret=vault.of(session).seal(secret, f"code_secret {wallet_id}"),
        pin_hash=pin_hash(body.pin),
        pin_limit=body.pin_limit,
        card_token=token,
        card_psn="00",
        card_expiry=CARD_EXPIRY,
        card_bin=body.card_number[:6],
        card_last4=body.card_number[-4:],
    )
    session.add(wallet)
    if body.balance:
        ledger.transfer(
            session,
            ledger.external(session),
            acct,
            body.balance,
            "topup",
            wallet_id,
            f"top-up {money(body.balance)}",
        )
    icc_key = emv.icc_master_key(issuer_key(session), token, "00")
    return 201, {
        "id": wallet_id,
        "object": "wallet",
        "account": acct.id,
        "number": wallet.number,
        "api_key": key,
        "code_secret": secret,
        "pin_limit": body.pin_limit,
        "card": {
            "token": token,
            "psn": "00",
            "expiry": CARD_EXPIRY,
            "icc_key": icc_key.hex(),
            "display": f"{wallet.card_bin}******{wallet.card_last4}",
        },
    }


def top_up(session: Session, wallet: Wallet, amount: int) -> None:
    ledger.transfer(
        session,
        ledger.external(session),
        ledger.account(session, wallet.account_id),
        amount,
        "topup",
        wallet.id,
        f"top-up {money(amount)}",
    )


def _unique_number(session: Session) -> str:
    while True:
        number = f"{secrets.randbelow(10**8):08d}"
        if session.scalars(select(Wallet.id).where(Wallet.number == number)).first() is None:
            return number


def _unique_token(session: Session) -> str:
    while True:
        token = with_check_digit(TOKEN_BIN + f"{secrets.randbelow(10**9):09d}")
        if session.scalars(select(Wallet.id).where(Wallet.card_token == token)).first() is None:
            return token
