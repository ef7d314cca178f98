"""What a payment or store scenario sets up before it starts, for the kit's suites and a
project's own (the plugin's fixtures are thin wrappers of these; lab/plugin/scenarios.py):
a test wallet in the payment sandbox configured on the device, and a shelf of apps that a
developer of the run signs and publishes in the store."""

from __future__ import annotations

import uuid
from pathlib import Path

import allure

from lab.apk.build import ApkSpec, build
from lab.apk.keys import SigningKey
from lab.cloud.payment import PaymentSandbox, WalletAccess
from lab.cloud.store import Developer
from lab.device.dut import Dut
from lab.pay.wallet import provision
from lab.redaction import register
from lab.tos import data


def fresh_wallet(dut: Dut, sandbox: PaymentSandbox, balance: int | None = None) -> WalletAccess:
    """A fresh wallet in the sandbox (the kit's test PIN and card; `balance` in fen,
    default ¥500.00), configured on the device over adb."""
    wallet = data.payment()
    register(wallet["pin"], "PIN")
    register(wallet["card_number"], "card number")
    chosen = wallet["balance"] if balance is None else balance
    with allure.step("a fresh wallet in the sandbox, configured on the device over adb"):
        return provision(dut, sandbox, wallet["pin"], wallet["card_number"], chosen,
                         wallet["pin_limit"])  # fmt: skip


class Shelf:
    """A test's apps: made, signed and uploaded on demand, named after the device and a
    random tag, so devices testing at once never share one."""

    def __init__(self, dut: Dut, studio: Developer, keys: dict[str, SigningKey], folder: Path):
        self.tag = f"{dut.id.replace('-', '')}{uuid.uuid4().hex[:6]}"
        self.studio, self.keys, self.folder = studio, keys, folder

    def apk(self, package: str, code: int, key: str = "dev", **fields) -> Path:
        """A signed APK (`key`: "dev", the studio's own, or "rival"); `fields` as ApkSpec's."""
        out = self.folder / f"{package}-{code}-{key}.apk"
        if not out.exists():
            build(ApkSpec(package, code, **fields), out, self.keys[key])
        return out

    def publish(self, name: str, price: int = 0, **fields) -> tuple[str, str]:
        """(package, title) of a new app with its version 1 in the store."""
        package, title = f"com.lab{self.tag}.{name.lower()}", f"{name} {self.tag}"
        with allure.step(f"the developer publishes {title} ({price} fen)"):
            self.studio.create_app(package, title, price=price)
            self.studio.upload(package, self.apk(package, 1, label=title, **fields))
        return package, title
