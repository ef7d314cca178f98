"""Request bodies. Strict: a string where an integer belongs is an error, not a guess, and
unknown fields are refused (they are typos)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from lab.services.errors import SECRET
from lab.services.payment.models import MAX_AMOUNT

Fen = Annotated[
    int,
    Field(
        gt=0,
        le=MAX_AMOUNT,
        description="integer fen (1/100 yuan): 2000 is ¥20.00",
        json_schema_extra={"example": 2000},
    ),
]
Currency = Literal["CNY"]
Pin = Annotated[str, Field(pattern=r"^\d{6}$", description="6 digits", json_schema_extra=SECRET)]
Text = Annotated[str, Field(max_length=128)]
Id = Annotated[str, Field(min_length=1, max_length=32)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class OrderIn(_Body):
    amount: Fen
    currency: Currency = "CNY"
    description: Annotated[str, Field(min_length=1, max_length=128)]
    expires_in: Annotated[int, Field(ge=60, le=7200)] = 7200  # seconds


class MicropayIn(_Body):
    """Charge the customer's payment code; give `amount` or an `order` (not both)."""

    auth_code: Annotated[str, Field(min_length=1, max_length=32, json_schema_extra=SECRET)]
    amount: Fen | None = None
    order: Id | None = None
    currency: Currency = "CNY"
    description: Text = ""


class RefundIn(_Body):
    charge: Id
    amount: Fen | None = None  # the rest of the charge when left out
    reason: Text = ""


class NfcAuthorizeIn(_Body):
    """What a terminal read in a card exchange: the ICC data (BER-TLV, hex) of the card's
    records and its GENERATE AC answer, with the transaction data it asked to sign."""

    amount: Fen
    currency: Currency = "CNY"
    icc_data: Annotated[
        str,
        Field(
            min_length=2,
            max_length=2048,
            pattern=r"^([0-9a-fA-F]{2})+$",
            json_schema_extra=SECRET,  # the card's token and cryptogram
        ),
    ]
    description: Text = ""


class PinIn(_Body):
    pin: Pin


class PayOrderIn(_Body):
    pin: Pin | None = None


class VoicePaymentIn(_Body):
    """A payment the customer asked for by voice: always confirmed by the PIN."""

    amount: Fen
    merchant: Id
    description: Text = "voice payment"


class MerchantIn(_Body):
    name: Annotated[str, Field(min_length=1, max_length=64)]


class WalletIn(_Body):
    device: Annotated[str, Field(min_length=1, max_length=64)]
    pin: Pin
    card_number: Annotated[str, Field(pattern=r"^[2-6]\d{12,18}$", json_schema_extra=SECRET)]
    balance: Annotated[int, Field(ge=0, le=MAX_AMOUNT)] = 0
    pin_limit: Annotated[int, Field(ge=0, le=MAX_AMOUNT)] = 20000


class TopUpIn(_Body):
    amount: Fen


class FaultIn(_Body):
    """Hold the reply of the next `count` requests to `path` for `seconds` after their
    work is committed: to a client it looks like a reply lost in the network. Or, with
    `refuse`, answer them with that status at once, their work not done (a sandbox that
    says no: a client must change nothing of its own)."""

    path: Annotated[str, Field(pattern=r"^/v1/")]
    seconds: Annotated[float, Field(ge=0, le=120)] = 0
    refuse: Annotated[int, Field(ge=400, le=599)] | None = None
    count: Annotated[int, Field(ge=1, le=1000)] = 1
    caller: Annotated[str, Field(min_length=1, max_length=32)] | None = None  # a wallet/merchant id
