"""A device's wallet for a test: provisioned in the sandbox (its own account, balance,
PIN and card token), then pointed at the sandbox over adb: a JSON file pushed (it holds
keys, so never a command line) and a broadcast naming it, the way one points a real test
device at a payment sandbox. A device without the TOS+ wallet says so."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from lab.cloud.payment import PaymentSandbox, WalletAccess
from lab.device.dut import Dut
from lab.errors import Category, LabError

ACTION = "com.tos.wallet.action.CONFIGURE"
RECEIVER = "com.tos.wallet/.SandboxReceiver"
REMOTE = "/data/local/tmp/tos-pay-sandbox.json"


class WalletNotConfigured(LabError):
    category = Category.PRODUCT_DEFECT


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
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / "sandbox.json"
        fd = os.open(local, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(access.device_config(), handle)
        dut.adb.push(local, REMOTE, timeout=timeout)
    done = dut.shell(
        ["am", "broadcast", "-a", ACTION, "-n", RECEIVER, "--es", "config", REMOTE],
        timeout=timeout,
    )
    answer = re.search(r"result=(-?\d+)(?:, data=\"(.*)\")?", done.stdout)
    if not answer or answer.group(1) != "-1":
        said = answer.group(2) if answer and answer.group(2) else done.stdout.strip()
        raise WalletNotConfigured(
            f"{dut.id}: the wallet did not take the sandbox configuration ({said})",
            hint="is the TOS+ wallet (com.tos.wallet) on this device?",
        )
