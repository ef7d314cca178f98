"""The project's own tests: one farm of virtual devices for the whole session, started on
first use (tests that need none never start it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.apk.build import ApkSpec, build
from lab.apk.keys import make_key
from lab.cloud.payment import Merchant, PaymentSandbox, WalletAccess
from lab.cloud.store import Store
from lab.device.dut import Dut
from lab.device.factory import open_dut
from lab.inventory import load_inventory
from tests import fidelity
from tests.payment_data import CARD, PIN
from tests.virtual_farm import (
    STORE_PORT,
    Farm,
    farm_sandbox,
    lab_home,
    start_farm,
    start_sandbox,
)


@pytest.fixture(scope="session")
def home(tmp_path_factory: pytest.TempPathFactory) -> Farm:
    """The test farm's inventory and runtime folder (devices and services share them)."""
    return lab_home(tmp_path_factory)


@pytest.fixture(scope="session")
def farm(home: Farm):
    started = start_farm(home)
    yield started
    started.lab("sim", "down", "--inventory", str(started.inventory), check=False)
    # `lab run` on this farm starts its declared services too
    started.lab("services", "down", "--inventory", str(started.inventory), check=False)


@pytest.fixture(scope="session")
def sandbox_url(home: Farm):
    """The payment sandbox, started through `lab services up` (stopped at the end)."""
    url = start_sandbox(home)
    yield url
    home.lab("services", "down", "--inventory", str(home.inventory), check=False)


@pytest.fixture(scope="session")
def sandbox(sandbox_url, home) -> PaymentSandbox:
    """The lab's view of the farm's payment sandbox (with its admin key)."""
    return farm_sandbox(home, sandbox_url)


@pytest.fixture(scope="session")
def store(sandbox_url, home) -> Store:
    """The lab's view of the farm's app store (`lab services up` started it beside the
    payment sandbox)."""
    key = Path(home.env["LAB_RUNTIME_DIR"]) / "services" / "store.admin-key"
    return Store(f"http://127.0.0.1:{STORE_PORT}", key.read_text().strip())


@pytest.fixture
def shop(sandbox: PaymentSandbox) -> Merchant:
    return sandbox.merchant("Test Coffee")


@pytest.fixture
def wallet(sandbox: PaymentSandbox) -> WalletAccess:
    """A wallet in the sandbox (not configured on any device)."""
    return sandbox.wallet("t-watch", PIN, CARD, balance=50_000)


# APKs signed by keys made here, for the store's tests and the money tests of services
@pytest.fixture(scope="session")
def keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("store-keys")
    return {"dev": make_key(folder / "dev", "Studio"), "other": make_key(folder / "other", "Other")}


@pytest.fixture(scope="session")
def apk_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("store-apks")


@pytest.fixture(scope="session")
def make_apk(apk_folder, keys):
    def make(package: str, code: int, key: str = "dev", **fields):
        out = apk_folder / f"{package}-{code}-{key}.apk"
        if not out.exists():
            build(ApkSpec(package, code, **fields), out, keys[key])
        return out

    return make


_is_worker = False


def pytest_configure(config: pytest.Config) -> None:
    global _is_worker
    fidelity.register_markers(config)
    _is_worker = hasattr(config, "workerinput")  # an xdist worker: its controller counts


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not _is_worker:
        fidelity.count(report)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        fidelity.summarise(terminalreporter)


@pytest.fixture
def make_dut(farm, monkeypatch, tmp_path):
    """Open harness handles (Dut) on the test farm's devices; closed at the end."""
    monkeypatch.setenv("LAB_RUNTIME_DIR", farm.env["LAB_RUNTIME_DIR"])  # where ptys are announced
    inventory = load_inventory(farm.inventory)
    opened: list[Dut] = []

    def make(device_id: str, timeout: float = 10) -> Dut:
        dut = open_dut(inventory, device_id, log_dir=tmp_path / "logs", timeout=timeout)
        opened.append(dut)
        return dut

    yield make
    for dut in opened:
        dut.close()
