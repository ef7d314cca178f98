"""The fixtures payment, store and voice scenarios use, for the kit's suites and a
project's own (a suite's conftest may override any of them):

| fixture | scope | what |
|---|---|---|
| `sandbox` | session | the payment sandbox the inventory declares (`PaymentSandbox`) |
| `shop` | test | a merchant of that sandbox, with its own key (`Merchant`) |
| `pin` | test | the test wallet's PIN (a registered secret) |
| `wallet` | test | a fresh test wallet (¥500.00) configured on the `dut` (`WalletAccess`) |
| `store` | session | the app store the inventory declares (`Store`) |
| `signing_keys` | session | APK signing keys: "dev" (the studio's) and "rival" |
| `studio` | session | a developer of this run (`Developer`) |
| `shelf` | test | apps of this test, made and published on demand (`lab.tos.scenarios.Shelf`) |
| `member` | test | the `dut` in a fresh store account, its store app configured (`DeviceAccess`) |
| `rig` | test | the audio rig beside the `dut`: play into its mic, record its speaker |

Another balance: `lab.tos.scenarios.fresh_wallet(dut, sandbox, balance=...)`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import allure
import pytest

from lab.apk.keys import SigningKey, make_key
from lab.appstore.device import join
from lab.cloud.payment import Merchant, PaymentSandbox, WalletAccess
from lab.cloud.store import Developer, DeviceAccess, Store
from lab.inventory import Inventory
from lab.redaction import register
from lab.rig import open as open_part
from lab.rig.exchange import Audio
from lab.tos import data
from lab.tos.scenarios import Shelf, fresh_wallet


@pytest.fixture(scope="session")
def sandbox(lab_inventory: Inventory) -> PaymentSandbox:
    return PaymentSandbox.of(lab_inventory)


@pytest.fixture
def shop(sandbox: PaymentSandbox) -> Merchant:
    return sandbox.merchant("TOS+ Lab Coffee")


@pytest.fixture
def pin() -> str:
    secret = data.payment()["pin"]
    register(secret, "PIN")
    return secret


@pytest.fixture
def wallet(dut, sandbox: PaymentSandbox) -> Iterator[WalletAccess]:
    yield fresh_wallet(dut, sandbox)
    dut.ui.press("home")


@pytest.fixture(scope="session")
def store(lab_inventory: Inventory) -> Store:
    return Store.of(lab_inventory)


@pytest.fixture(scope="session")
def signing_keys(tmp_path_factory) -> dict[str, SigningKey]:
    folder = tmp_path_factory.mktemp("keys")
    return {"dev": make_key(folder / "studio", "Lab Studio"), "rival": make_key(folder / "rival")}


@pytest.fixture(scope="session")
def studio(store: Store) -> Developer:
    return store.developer(f"Lab Studio {uuid.uuid4().hex[:6]}")


@pytest.fixture
def shelf(dut, studio: Developer, signing_keys, tmp_path) -> Shelf:
    return Shelf(dut, studio, signing_keys, tmp_path)


@pytest.fixture
def member(dut, store: Store) -> Iterator[DeviceAccess]:
    with allure.step("the device joins a fresh store account"):
        access = join(dut, store, store.account(f"Lab user {uuid.uuid4().hex[:6]}"))
    yield access
    dut.ui.press("home")


@pytest.fixture
def rig(dut) -> Iterator[Audio]:
    with open_part(dut, "audio") as opened:
        yield opened
