"""A paid level unlocked on the TV by paying with the phone: the TV (a merchant of the
payment sandbox) shows an order's QR code, the phone's wallet scans it from the TV's
screen and pays, the TV sees the order paid and unlocks Pro. Money moves once."""

from __future__ import annotations

import allure
import pytest

from lab.cloud.payment import PaymentSandbox
from lab.gamepad.board import rid
from lab.gamepad.pairing import hold_up_to
from lab.gamepad.shop import sell_pro
from lab.tos import data
from lab.tos.scenarios import fresh_wallet
from lab.tos.screens import payment as screens

pytestmark = pytest.mark.devices(pad="phone:gamepad,payment,camera", screen="tv:game_host")
PRICE = 600


@allure.title("Pro unlocked on the TV, paid by scanning its QR code with the phone")
def test_pro_is_unlocked_by_paying_the_tvs_qr(game, lab_inventory, attach):
    pad, screen = game["pad"], game["screen"]
    sandbox = PaymentSandbox.of(lab_inventory)
    arcade = sandbox.merchant("TOS+ Arcade")
    with allure.step(f"{screen.id}'s game sells Pro for ¥6.00 through the sandbox"):
        sell_pro(screen, arcade, sandbox.url, PRICE)
    with allure.step(f"a wallet on {pad.id}"):
        wallet = fresh_wallet(pad, sandbox)
    screen.shell(["am", "start", "-n", "com.tos.arcade/.Game"], check=True)
    with allure.step("Unlock Pro on the TV: its order's QR code comes up"):
        screen.ui.tap(resourceId=rid("unlock"))
        assert screen.ui.exists(timeout=15, resourceId=rid("qr")), "no QR code to pay"
        attach.png(f"{screen.id}: pay to unlock", screen.screenshot_png())
    with allure.step(f"{pad.id}'s wallet scans the TV's screen and pays"):
        hold_up_to(pad, screen)
        screens.open_screen(pad, ".Wallet")
        pad.ui.tap(resourceId=screens.rid("scan"))
        assert pad.ui.exists(timeout=20, resourceId=screens.rid("confirm_amount_value"))
        assert pad.ui.text(resourceId=screens.rid("confirm_amount_value")) == "¥6.00"
        assert pad.ui.text(resourceId=screens.rid("confirm_merchant_value")) == "TOS+ Arcade"
        pad.ui.tap(resourceId=screens.rid("confirm"))
        assert screens.banner(pad, ok=True)["amount"] == "¥6.00"
    with allure.step("the TV sees the order paid and unlocks Pro"):
        assert screen.ui.exists(timeout=15, resourceId=rid("pro_value"), textContains="unlocked")
        attach.png(f"{screen.id}: Pro unlocked", screen.screenshot_png())
        assert not screen.ui.exists(resourceId=rid("unlock")), "still offered for sale"
    assert sandbox.account(arcade.account)["balance"] == PRICE
    assert sandbox.account(wallet.account)["balance"] == data.payment()["balance"] - PRICE
