"""An NFC tap: the device shows its code (pay mode) and answers the reader beside it as a
card; the shop's terminal runs the EMV exchange with nfcpy and has the sandbox authorise
it. The card shows a token, never the card number; a replayed read is refused."""

from __future__ import annotations

import allure
import pytest

from lab import rig
from lab.pay import terminal
from lab.protocols import emv
from lab.tos import data
from lab.tos.screens import payment as screens

pytestmark = [pytest.mark.requires("payment", "nfc"), pytest.mark.requirement("5.2/W-0-1")]


@pytest.fixture
def reader(dut):
    if not any(part.kind == "nfc_reader" for part in dut.parts):
        pytest.skip(f"no NFC reader beside {dut.id} on this bench")
    with rig.open(dut, "nfc_reader") as opened:
        yield opened


@allure.title("a tap pays ¥18.00 through the reader beside the device")
def test_a_tap_pays(dut, wallet, shop, sandbox, reader, attach):
    with allure.step("the customer opens the payment code (pay mode)"):
        screens.open_screen(dut, ".PayCode")
        assert dut.ui.exists(timeout=5, resourceId=screens.rid("qr"))
    with allure.step("the terminal reads the card (field on -> GENERATE AC)"):
        read = terminal.tap(reader, 1800)
        attach.text("exchange timing", "\n".join(f"{s:7.3f} s  {n}" for n, s in read.steps))
        assert read.cryptogram_type == 0x80  # an ARQC: the issuer decides online
        tags = emv.decode(read.icc_data)
        assert (
            data.payment()["card_number"] not in str(tags)
            and data.payment()["card_number"][-4:] not in tags["5A"].hex()
        )
    with allure.step("the shop has the sandbox authorise it"):
        charge = shop.nfc_authorize(1800, read.icc_data, "Tea")
        assert (charge["status"], charge["channel"]) == ("succeeded", "nfc")
    assert screens.banner(dut, ok=True)["amount"] == "¥18.00"
    screens.snap(dut, attach, "after the tap")
    with allure.step("the same read sent again is refused (its counter was used)"):
        replay = shop.nfc_authorize(1800, read.icc_data, "Tea again")
        assert (replay["status"], replay["decline_reason"]) == ("declined", "replayed")
    assert sandbox.account(wallet.account)["balance"] == 48_200


@allure.title("no card answers while the wallet is not in pay mode")
def test_no_card_outside_pay_mode(dut, wallet, reader):
    from lab.rig.nfc import NoCard

    dut.ui.press("home")
    with pytest.raises(NoCard):
        terminal.tap(reader, 100, timeout=1.0)
