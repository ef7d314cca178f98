"""The store suite's parts: the store (from the inventory), a developer of this run with
its own signing keys, apps made per test (so devices testing in parallel never share
one), and per test a fresh account the device joins."""

from __future__ import annotations

import uuid
from pathlib import Path

import allure
import pytest

from lab.apk.build import ApkSpec, build
from lab.apk.keys import SigningKey, make_key
from lab.appstore.device import join
from lab.cloud.payment import PaymentSandbox, WalletAccess
from lab.cloud.store import Developer, DeviceAccess, Store
from lab.pay.wallet import provision
from suites.payment.conftest import DATA  # the test wallet (PIN, card, balance)


@pytest.fixture(scope="session")
def store(lab_inventory) -> Store:
    return Store.of(lab_inventory)


@pytest.fixture(scope="session")
def keys(tmp_path_factory) -> dict[str, SigningKey]:
    """The developer's key, and another one (a rival's, or a lost key)."""
    folder = tmp_path_factory.mktemp("keys")
    return {"dev": make_key(folder / "studio", "Lab Studio"), "rival": make_key(folder / "rival")}


@pytest.fixture(scope="session")
def studio(store: Store) -> Developer:
    return store.developer(f"Lab Studio {uuid.uuid4().hex[:6]}")


class Shelf:
    """Apps of this test: made, signed and uploaded on demand."""

    def __init__(self, dut, studio: Developer, keys: dict, folder: Path) -> None:
        self.tag = f"{dut.id.replace('-', '')}{uuid.uuid4().hex[:6]}"
        self.studio, self.keys, self.folder = studio, keys, folder

    def apk(self, package: str, code: int, key: str = "dev", **fields) -> Path:
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


@pytest.fixture
def shelf(dut, studio, keys, tmp_path) -> Shelf:
    return Shelf(dut, studio, keys, tmp_path)


@pytest.fixture
def member(dut, store: Store) -> DeviceAccess:
    """The device in a fresh account of the store, its store app configured."""
    with allure.step("the device joins a fresh store account"):
        access = join(dut, store, store.account(f"Lab user {uuid.uuid4().hex[:6]}"))
    yield access
    dut.ui.press("home")


@pytest.fixture
def wallet(dut, lab_inventory) -> WalletAccess:
    sandbox = PaymentSandbox.of(lab_inventory)
    with allure.step("a fresh wallet in the payment sandbox, configured on the device"):
        return provision(dut, sandbox, DATA["pin"], DATA["card_number"], DATA["balance"],
                         DATA["pin_limit"])  # fmt: skip
