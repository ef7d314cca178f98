"""The card the wallet emulates over NFC (host card emulation): EMV's contactless exchange,
answered with the payment token and an ARQC from the card's own key (lab.protocols.emv);
the real card number never leaves the sandbox."""

from __future__ import annotations

from collections.abc import Callable

from lab.protocols import emv
from lab.sim.apps.wallet.config import CardConfig

SFI = 1


class EmulatedCard:
    def __init__(
        self,
        card: CardConfig,
        next_atc: Callable[[], int],
        verified_on_device: Callable[[], bool],
        log: Callable[[str], None],
    ) -> None:
        self._card = card
        self._next_atc = next_atc
        self._verified = verified_on_device
        self._log = log
        self._selected = b""
        self._transaction: emv.Transaction | None = None

    def reset(self) -> None:
        """The field went away: a new tap starts from SELECT."""
        self._selected, self._transaction = b"", None

    def apdu(self, command: bytes) -> bytes:
        if len(command) < 4:
            return emv.SW_WRONG_LENGTH
        cla, ins, p1, p2 = command[:4]
        if (cla, ins) == (0x00, 0xA4):
            return self._select(command, p1)
        if (cla, ins) == (0x80, 0xA8):
            return self._gpo(command)
        if (cla, ins) == (0x00, 0xB2):
            return self._read_record(p1, p2 >> 3)
        if (cla, ins) == (0x80, 0xAE):
            return self._generate_ac(command)
        if cla not in (0x00, 0x80):
            return emv.SW_CLA_UNKNOWN
        return emv.SW_INS_UNKNOWN

    def _data(self, command: bytes) -> bytes:
        if len(command) < 5:
            return b""
        return command[5 : 5 + command[4]]

    def _select(self, command: bytes, p1: int) -> bytes:
        name = self._data(command)
        if p1 != 0x04:
            return emv.SW_WRONG_P1P2
        if name == emv.PPSE:
            self._selected = emv.PPSE
            entry = {"4F": emv.AID, "50": emv.LABEL, "87": b"\x01"}
            fci = {"6F": {"84": emv.PPSE, "A5": {"BF0C": {"61": entry}}}}
            return emv.encode(fci) + emv.SW_OK
        if name == emv.AID:
            self._selected = emv.AID
            self._transaction = None
            fci = {"6F": {"84": emv.AID, "A5": {"50": emv.LABEL, "9F38": emv.dol_template()}}}
            return emv.encode(fci) + emv.SW_OK
        return emv.SW_NOT_FOUND

    def _gpo(self, command: bytes) -> bytes:
        if self._selected != emv.AID:
            return emv.SW_CONDITIONS
        data = self._data(command)
        if len(data) < 2 or data[0] != 0x83 or data[1] != len(data) - 2:
            return emv.SW_WRONG_LENGTH
        try:
            self._transaction = emv.Transaction.from_dol(data[2:])
        except ValueError:
            return emv.SW_WRONG_LENGTH
        afl = bytes([SFI << 3, 1, 1, 0])
        return emv.encode({"77": {"82": emv.AIP, "94": afl}}) + emv.SW_OK

    def _read_record(self, number: int, sfi: int) -> bytes:
        if self._transaction is None:
            return emv.SW_CONDITIONS
        if (sfi, number) != (SFI, 1):
            return emv.SW_RECORD_NOT_FOUND
        token = self._card.token
        pan = bytes.fromhex(token + "F" * (len(token) % 2))
        track2 = token + "D" + self._card.expiry[:4] + "201" + "0" * 8
        track2 += "F" * (len(track2) % 2)
        record = {
            "70": {
                "57": bytes.fromhex(track2),
                "5A": pan,
                "5F24": bytes.fromhex(self._card.expiry),
                "5F34": bytes.fromhex(self._card.psn),
                "8C": emv.dol_template(),
            }
        }
        return emv.encode(record) + emv.SW_OK

    def _generate_ac(self, command: bytes) -> bytes:
        if self._transaction is None:
            return emv.SW_CONDITIONS
        try:
            transaction = emv.Transaction.from_dol(self._data(command))
        except ValueError:
            return emv.SW_WRONG_LENGTH
        atc = self._next_atc()
        cvr = bytes([0x03, 0xA0, 0x00, emv.CVR_CDCVM if self._verified() else 0x00])
        cryptogram = emv.cryptogram(bytes.fromhex(self._card.icc_key), transaction, atc, cvr)
        self._log(f"NFC payment signed: {transaction.amount / 100:.2f} CNY, ATC {atc}")
        answer = {
            "77": {
                "9F27": b"\x80",  # ARQC: the issuer decides online
                "9F36": atc.to_bytes(2, "big"),
                "9F26": cryptogram,
                "9F10": b"\x06\x01\x0a" + cvr,
            }
        }
        self._transaction = None
        return emv.encode(answer) + emv.SW_OK
