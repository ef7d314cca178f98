"""The store app on virtual devices, driven like a user through uiautomator2: browse and
search, install a free app, buy a paid one in the wallet, update, uninstall, refund; a
download that survives a reboot. Device-agnostic checks live in the kit's suites
(lab/tos/suites/store/); these check the app's states one by one on the test farm."""

from __future__ import annotations

import hashlib
import time
import uuid

import pytest

from lab.appstore.device import join
from tests.payment_data import CARD, PIN


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


@pytest.fixture
def shelf(store, make_apk):
    """A developer with a free app (v1 and, later, v2) and a paid one above the PIN limit."""
    tag = uuid.uuid4().hex[:6]
    studio = store.developer(f"Studio {tag}")
    free, paid = f"com.s{tag}.free", f"com.s{tag}.pro"
    studio.create_app(free, f"Free {tag}")
    studio.upload(free, make_apk(free, 1, label=f"Free {tag}", payload_bytes=3 << 20))
    studio.create_app(paid, f"Pro {tag}", price=25_000)  # ¥250: above the wallet's ¥200 limit
    studio.upload(paid, make_apk(paid, 1, label=f"Pro {tag}"))
    return {"studio": studio, "free": free, "paid": paid, "tag": tag}


def test_buy_pay_in_the_wallet_update_and_refund(phone, store, sandbox, shelf, make_apk):
    from lab.pay.wallet import provision
    from lab.tos.screens import store as screens
    from lab.tos.screens.payment import enter_pin

    account = store.account(f"User {shelf['tag']}")
    join(phone, store, account)
    wallet = provision(phone, sandbox, PIN, CARD, 100_000)
    screens.search(phone, shelf["tag"])
    assert screens.listed(phone, f"Pro {shelf['tag']}") and screens.listed(
        phone, f"Free {shelf['tag']}"
    )
    screens.details(phone, shelf["paid"])
    screens.press(phone, "buy")
    assert phone.ui.exists(timeout=10, resourceId="com.tos.wallet:id/confirm_amount_value")
    assert phone.ui.text(resourceId="com.tos.wallet:id/confirm_amount_value") == "¥250.00"
    phone.ui.tap(resourceId="com.tos.wallet:id/confirm")
    enter_pin(phone, PIN)
    assert phone.ui.exists(timeout=15, text="Payment successful")
    phone.ui.tap(resourceId="com.tos.wallet:id/done")
    screens.details(phone, shelf["paid"])
    screens.wait_installed(phone, shelf["paid"])
    assert sandbox.account(wallet.account)["balance"] == 75_000
    # an update: the developer uploads v2, the page offers it
    shelf["studio"].upload(shelf["paid"], make_apk(shelf["paid"], 2, label=f"Pro {shelf['tag']}"))
    screens.details(phone, shelf["paid"])
    screens.press(phone, "update")
    assert phone.ui.exists(timeout=30, resourceId=screens.rid("open"))
    assert phone.ui.gone(timeout=10, resourceId=screens.rid("update"))
    assert "versionCode=2" in phone.shell(["dumpsys", "package", shelf["paid"]]).stdout
    # a refund: the money back, the app removed, the entitlement gone
    screens.press(phone, "refund")
    assert phone.ui.exists(timeout=15, resourceId=screens.rid("buy"))
    assert shelf["paid"] not in phone.adb.packages()
    assert sandbox.account(wallet.account)["balance"] == 100_000


def test_a_reboot_mid_download_ends_whole_or_not_at_all(phone, store, shelf):
    from lab.tos.screens import store as screens

    join(phone, store, store.account(f"User {shelf['tag']}"))
    store.throttle_downloads(400_000, "t-phone")  # 3 MB at 400 kB/s: about 8 s
    try:
        screens.details(phone, shelf["free"])
        screens.press(phone, "install")
        deadline = time.monotonic() + 20
        while (screens.percent(phone) or 0) < 20 and time.monotonic() < deadline:
            time.sleep(0.2)
        at = screens.percent(phone)
        assert at is not None and 0 < at < 100, f"mid-download, not {at}"
        phone.reboot(timeout=90)
    finally:
        store.throttle_downloads(0, "t-phone")
    # after the boot the download resumes from where it was, then installs whole
    deadline = time.monotonic() + 60
    while shelf["free"] not in phone.adb.packages() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert shelf["free"] in phone.adb.packages(), "the download resumed and installed"
    installed = phone.shell(["pm", "path", shelf["free"]], check=True).stdout.strip()
    pulled = phone.adb.read_file(installed.removeprefix("package:"))
    [app] = [a for a in shelf["studio"].apps() if a["package"] == shelf["free"]]
    assert hashlib.sha256(pulled).hexdigest() == app["versions"][0]["sha256"], "whole, not torn"


def test_an_incompatible_app_is_hidden_and_refused(make_dut, store, make_apk):
    from lab.tos.screens import store as screens

    tv = make_dut("t-tv")
    tag = uuid.uuid4().hex[:6]
    studio = store.developer(f"Studio {tag}")
    package = f"com.s{tag}.paint"
    studio.create_app(package, f"Paint {tag}")
    apk = make_apk(package, 1, label=f"Paint {tag}", features=("android.hardware.touchscreen",))
    studio.upload(package, apk)
    join(tv, store, store.account(f"User {tag}"))
    screens.search(tv, tag)
    assert tv.ui.exists(timeout=10, resourceId=screens.rid("status_value"), text="No apps found")
    screens.details(tv, package)
    assert tv.ui.exists(timeout=10, text="Not compatible with this device")
    assert "android.hardware.touchscreen" in tv.ui.text(
        resourceId=screens.rid("compatibility_value")
    )
    assert not tv.ui.exists(resourceId=screens.rid("install"))
    with pytest.raises(Exception, match="INSTALL_FAILED_MISSING_FEATURE"):
        tv.adb.install(apk)
