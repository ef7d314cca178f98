""" "Hi TOS, pay twenty yuan" on the watch: the payment sandbox gets a voice payment to the
shop set for it, the watch asks for the PIN (always, whatever the amount: a voice is no
proof of who speaks), and the PIN keyed on the watch pays it."""

from __future__ import annotations

from dataclasses import replace

import allure
import pytest

from lab.pay.wallet import configure
from lab.tos.screens import payment as screens
from lab.tos.turns import play
from lab.voice.utterance import Utterance

pytestmark = [
    pytest.mark.requires("voice", "microphone", "speaker", "payment"),
    pytest.mark.device_class("watch"),
    pytest.mark.requirement("6.2/W-1-1"),
]


@pytest.fixture
def voice_wallet(dut, sandbox, wallet, shop):
    """The test wallet, with the shop as the payee of voice payments."""
    with allure.step("the wallet pays the shop when asked by voice"):
        access = replace(wallet, voice_payee=shop.id)
        configure(dut, access)
    return access


@allure.title("'pay twenty yuan' asks for the PIN and pays the shop")
def test_pay_twenty_yuan_by_voice(dut, rig, voice_wallet, shop, sandbox, pin, attach):
    turn = play(dut, rig, Utterance("pay twenty yuan"), attach)
    assert turn.woke, "the wake phrase was not heard"
    with allure.step("the watch asks for the PIN, showing ¥20.00"):
        assert dut.ui.exists(timeout=10, resourceId=screens.rid("pin_amount_value")), (
            f"no PIN pad (the assistant answered {turn.answer!r})"
        )
        assert dut.ui.text(resourceId=screens.rid("pin_amount_value")) == "¥20.00"
        screens.snap(dut, attach, "PIN pad after 'pay twenty yuan'")
    assert sandbox.account(shop.account)["balance"] == 0, "paid before the PIN"
    screens.enter_pin(dut, pin)
    assert screens.banner(dut, ok=True)["amount"] == "¥20.00"
    entries = sandbox.account(shop.account)
    assert entries["balance"] == 2000
    assert sandbox.account(voice_wallet.account)["balance"] == 50_000 - 2000


@allure.title("'pay twenty yuan' without a payee is refused, nothing paid")
def test_voice_pay_without_a_payee_is_refused(dut, rig, wallet, shop, sandbox, attach):
    turn = play(dut, rig, Utterance("pay twenty yuan"), attach)
    assert turn.answer == "No shop is set for paying by voice"
    assert not dut.ui.exists(timeout=1, resourceId=screens.rid("pin_amount_value"))
    assert sandbox.account(wallet.account)["balance"] == 50_000
