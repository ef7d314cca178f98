"""Store tests: the features of the devices they register (the APKs they upload are made
by the `make_apk` fixture of tests/conftest.py)."""

from __future__ import annotations

import pytest

from lab.cloud.payment import PaymentSandbox
from tests.virtual_farm import farm_sandbox

WATCH = ["android.hardware.type.watch", "android.hardware.touchscreen"]
TV = ["android.hardware.type.television", "android.software.leanback"]
PHONE = ["android.hardware.touchscreen", "android.hardware.telephony"]


@pytest.fixture(scope="session")
def sandbox(sandbox_url, home) -> PaymentSandbox:
    """The farm's own sandbox, the one its store sells through (tests/services/conftest.py
    gives the services' own tests the sandbox on both databases)."""
    return farm_sandbox(home, sandbox_url)
