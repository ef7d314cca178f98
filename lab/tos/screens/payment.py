"""The TOS+ wallet's screens as a test drives them (a page object): its resource ids,
showing the payment code, the result banner, the PIN pad and the transaction list. Only
the harness API: the same calls drive a real device."""

from __future__ import annotations

import allure

from lab.device.dut import Dut
from lab.device.steps import hidden

WALLET = "com.tos.wallet"
BANNER = {("en", True): "Payment successful", ("en", False): "Payment declined",
          ("zh", True): "支付成功", ("zh", False): "支付失败"}  # fmt: skip


def rid(name: str) -> str:
    return f"{WALLET}:id/{name}"


def snap(dut: Dut, attach, name: str) -> None:
    attach.png(f"{dut.id}: {name}", dut.screenshot_png())


def open_screen(dut: Dut, activity: str) -> None:
    dut.shell(["am", "start", "-n", f"{WALLET}/{activity}"], check=True)


def show_code(dut: Dut, attach) -> str:
    """Open the payment code; the code as the shop's scanner reads it from the screen,
    checked against the 18 digits printed under it."""
    with allure.step("the customer shows the payment code"):
        open_screen(dut, ".PayCode")
        assert dut.ui.exists(timeout=5, resourceId=rid("qr")), "no QR code on the pay screen"
        snap(dut, attach, "payment code")
    with allure.step("the shop's scanner reads the code from the screen"):
        codes = {qr.text for qr in dut.screen.qr_codes()}
        digits = dut.ui.text(resourceId=rid("code_value")).replace(" ", "")
        assert codes == {digits}, f"the QR says {codes}, the digits say {digits}"
        assert len(digits) == 18 and digits[:2] in {"10", "11", "12", "13", "14", "15"}
    return digits


def banner(dut: Dut, ok: bool, language: str = "en", timeout: float = 10.0) -> dict[str, str]:
    """Wait for the result banner; what it says (amount, merchant, reason)."""
    title = BANNER[(language, ok)]
    assert dut.ui.exists(timeout=timeout, resourceId=rid("title"), text=title), (
        f"no {title!r} banner within {timeout:g} s"
    )
    shown = {"title": title}
    for key in ("amount", "merchant", "reason"):
        if dut.ui.exists(resourceId=rid(f"result_{key}_value")):
            shown[key] = dut.ui.text(resourceId=rid(f"result_{key}_value"))
    return shown


def enter_pin(dut: Dut, pin: str) -> None:
    """Key the PIN on the wallet's PIN pad (one step, no parameters: the PIN never
    appears in the report)."""
    with allure.step("the customer keys the PIN on the device"), hidden():
        assert dut.ui.exists(timeout=10, resourceId=rid("key_1")), "no PIN pad"
        for digit in pin:
            dut.ui.tap(resourceId=rid(f"key_{digit}"))


def transactions(dut: Dut) -> list[str]:
    """The amounts the transaction list shows, newest first."""
    open_screen(dut, ".Wallet")
    dut.ui.tap(resourceId=rid("transactions"))
    assert dut.ui.exists(timeout=10, resourceId=rid("txn_0_value")), "no transactions listed"
    shown = []
    for n in range(20):
        if not dut.ui.exists(resourceId=rid(f"txn_{n}_value")):
            break
        shown.append(dut.ui.text(resourceId=rid(f"txn_{n}_value")))
    return shown
