"""A device's wallet for a test: provisioned in the sandbox (its own account, balance,
PIN and card token), then pointed at the sandbox over adb: a JSON file pushed (it holds
keys, so never a command line) and a broadcast naming it, the way one points a real test
device at a payment sandbox. A device without the TOS+ wallet says so."""

from __future__ import annotations

from lab.cloud.payment import PaymentSandbox, WalletAccess
from lab.device.app_config import push_config
from lab.device.dut import Dut
from lab.errors import ProductFailure

ACTION = "com.tos.wallet.action.CONFIGURE"
RECEIVER = "com.tos.wallet/.SandboxReceiver"
REMOTE = "/data/local/tmp/tos-pay-sandbox.json"


class WalletNotConfigured(ProductFailure):
    """The device's wallet did not come up with the configuration the lab gave it."""


def provision(
    dut: Dut,
    sandbox: PaymentSandbox,
    pin: str,
    card_number: str,
    balance: int,
    pin_limit: int = 20000,
    timeout: float = 15.0,
) -> WalletAccess:
    """A fresh wallet for `dut` in the sandbox, configured on the device."""
    access = sandbox.wallet(dut.id, pin, card_number, balance, pin_limit)
    configure(dut, access, timeout)
    return access


def configure(dut: Dut, access: WalletAccess, timeout: float = 15.0) -> None:
    accepted, said = push_config(dut, ACTION, RECEIVER, REMOTE, access.device_config(), timeout)
    if not accepted:
        raise WalletNotConfigured(
            f"{dut.id}: the wallet did not take the sandbox configuration ({said})",
            hint="is the TOS+ wallet (com.tos.wallet) on this device?",
        )
