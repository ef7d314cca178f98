"""The merchant-presented QR: the shop shows an order's QR code, the customer's phone
scans it with its camera and pays."""

from __future__ import annotations

import allure
import cv2
import numpy as np
import pytest

from lab import rig
from lab.tos.screens import payment as screens

pytestmark = pytest.mark.requires("payment", "camera")


def qr_image(text: str, module: int = 12) -> np.ndarray:
    """The order's QR code as the shop's display shows it (BGR, quiet zone included)."""
    code = cv2.QRCodeEncoder.create().encode(text)
    big = cv2.resize(code, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)
    return cv2.cvtColor(
        cv2.copyMakeBorder(big, 48, 48, 48, 48, cv2.BORDER_CONSTANT, value=255), cv2.COLOR_GRAY2BGR
    )


@allure.title("the phone scans the shop's QR and pays ¥15.00")
def test_the_phone_pays_a_scanned_order(dut, wallet, shop, sandbox, attach):
    order = shop.order(1500, "Croissant")
    shown = qr_image(order["code_url"])
    attach.png("the shop's QR code", shown)
    try:
        with allure.step("the shop's QR code is held in front of the camera"):
            rig.open(dut, "camera").show(shown)
        with allure.step("the customer opens Scan"):
            screens.open_screen(dut, ".Wallet")
            dut.ui.tap(resourceId=screens.rid("scan"))
        with allure.step("the phone shows what it is about to pay"):
            # the camera reads a frame every 0.3 s; a loaded machine decodes slower
            assert dut.ui.exists(timeout=20, resourceId=screens.rid("confirm_amount_value"))
            assert dut.ui.text(resourceId=screens.rid("confirm_amount_value")) == "¥15.00"
            assert (
                dut.ui.text(resourceId=screens.rid("confirm_merchant_value")) == "TOS+ Lab Coffee"
            )
            screens.snap(dut, attach, "confirm")
        with allure.step("the customer pays"):
            dut.ui.tap(resourceId=screens.rid("confirm"))
            assert screens.banner(dut, ok=True)["amount"] == "¥15.00"
    finally:
        rig.open(dut, "camera").clear()
    assert shop.order_status(order["id"])["status"] == "paid"
    assert sandbox.account(wallet.account)["balance"] == 48_500
