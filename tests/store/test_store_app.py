"""The store app on virtual devices, driven like a user through uiautomator2: browse and
search, install a free app, buy a paid one in the wallet, update, uninstall, refund; a
download that survives a reboot. Device-agnostic checks live in suites/store/; these
check the app's states one by one on the test farm."""

from __future__ import annotations

import uuid

import pytest

from lab.appstore.device import join


@pytest.fixture
def phone(make_dut):
    return make_dut("t-phone")


def test_install_a_free_app_from_the_store(phone, store, make_apk):
    tag = uuid.uuid4().hex[:6]
    studio = store.developer(f"Studio {tag}")
    package = f"com.s{tag}.notes"
    studio.create_app(package, f"Notes {tag}")
    studio.upload(package, make_apk(package, 1, label=f"Notes {tag}"))
    account = store.account(f"User {tag}")
    join(phone, store, account)
    ui = phone.ui
    phone.shell(["am", "start", "-n", "com.tos.store/.Store"], check=True)
    assert ui.exists(timeout=10, text=f"Notes {tag}")
    ui.tap(text=f"Notes {tag}")
    assert ui.exists(timeout=10, resourceId="com.tos.store:id/install")
    ui.tap(resourceId="com.tos.store:id/install")
    assert ui.exists(timeout=20, resourceId="com.tos.store:id/open")
    assert package in phone.adb.packages()
    ui.tap(resourceId="com.tos.store:id/uninstall")
    assert ui.exists(timeout=10, resourceId="com.tos.store:id/install")
    assert package not in phone.adb.packages()
