"""The store over HTTP: uploads verified (package, signer, versionCode, signature), the
catalogue fitted to each device, purchases paid from a wallet through the payment
sandbox, entitlements across an account's devices, refunds, the revenue split and
monthly statements."""

from __future__ import annotations

import csv
import io
import time
import uuid

import pytest

from lab.cloud.http import ApiRefused
from lab.errors import LabError
from tests.apk.test_build import flip_byte
from tests.payment_data import CARD, PIN
from tests.services.store.conftest import PHONE, TV, WATCH


def uid() -> str:
    return uuid.uuid4().hex[:8]


def refused(call, status: int, code: str, param: str | None = None) -> ApiRefused:
    with pytest.raises(ApiRefused) as caught:
        call()
    error = caught.value
    assert (error.status, error.code) == (status, code), error
    if param:
        assert error.body["error"]["param"] == param
    return error


@pytest.fixture
def studio(store):
    return store.developer(f"Studio {uid()}")


@pytest.fixture
def household(store, sandbox):
    """An account with a TV and a phone, and the phone's wallet."""
    account = store.account(f"Family {uid()}")
    tv = store.device(f"tv-{uid()}", account, "tv", TV, 33).client()
    phone_id = f"phone-{uid()}"
    phone = store.device(phone_id, account, "phone", PHONE, 33).client()
    wallet = sandbox.wallet(phone_id, PIN, CARD, balance=100_000_000)
    return {"account": account, "tv": tv, "phone": phone, "wallet": wallet}


def publish(studio, make_apk, package: str, price: int = 0, **apk) -> dict:
    studio.create_app(package, package.rsplit(".", 1)[-1].title(), price=price)
    return studio.upload(package, make_apk(package, 1, **apk))


def test_an_upload_is_read_and_verified(studio, make_apk):
    package = f"com.studio.notes{uid()}"
    studio.create_app(package, "Notes")
    version = studio.upload(package, make_apk(package, 1, version_name="1.0", min_sdk=26))
    assert (version["version_code"], version["version_name"], version["min_sdk"]) == (1, "1.0", 26)
    assert studio.upload(package, make_apk(package, 2))["version_code"] == 2
    refused(
        lambda: studio.upload(package, make_apk(package, 2)), 409, "version_code_not_newer", "apk"
    )
    refused(
        lambda: studio.upload(package, make_apk(package, 3, key="other")),
        400,
        "apk_signer_mismatch",
        "apk",
    )
    refused(
        lambda: studio.upload(package, make_apk(f"{package}x", 3)),
        400,
        "apk_package_mismatch",
        "apk",
    )
    refused(lambda: studio.upload(package, b"PK\x03\x04 not really"), 400, "apk_unreadable", "apk")
    refused(lambda: studio.upload("com.nobody.app", make_apk(package, 3)), 404, "resource_missing")
    [app] = [a for a in studio.apps() if a["package"] == package]
    assert [v["version_code"] for v in app["versions"]] == [2, 1], "nothing half-written"


def test_one_changed_byte_is_refused(studio, make_apk, tmp_path):
    package = f"com.studio.big{uid()}"
    studio.create_app(package, "Big")
    apk = make_apk(package, 1, payload_bytes=100_000)
    tampered = flip_byte(apk, "assets/payload.bin", tmp_path / "t.apk")
    error = refused(lambda: studio.upload(package, tampered), 400, "apk_signature_invalid", "apk")
    assert "digest" in error.message.lower()
    assert [a["versions"] for a in studio.apps() if a["package"] == package] == [[]]


def test_the_catalogue_fits_each_device(store, studio, make_apk, household):
    tag = uid()
    tv_app, watch_app, touch_app = f"com.s.tv{tag}", f"com.s.watch{tag}", f"com.s.draw{tag}"
    publish(studio, make_apk, tv_app, features=("android.software.leanback",))
    publish(studio, make_apk, watch_app, features=("android.hardware.type.watch",))
    publish(studio, make_apk, touch_app, features=("android.hardware.touchscreen",))
    watch = store.device(f"watch-{tag}", household["account"], "watch", WATCH, 33).client()
    devices = {"tv": household["tv"], "phone": household["phone"], "watch": watch}
    on = {name: {a["package"] for a in client.catalog(tag)} for name, client in devices.items()}
    assert on == {"tv": {tv_app}, "phone": {touch_app}, "watch": {watch_app, touch_app}}
    shown = household["tv"].app(touch_app)
    assert shown["compatible"] is False
    assert "android.hardware.touchscreen" in shown["incompatible_reason"]
    with pytest.raises(LabError, match="409"):
        household["tv"].download(touch_app, 1)
    assert household["tv"].download(tv_app, 1)[:2] == b"PK"
    assert household["tv"].catalog(f"nothing-{tag}") == []


def buy(household, device: str, package: str) -> dict:
    purchase = household[device].buy(package)
    assert purchase["status"] == "pending" and purchase["code_url"].endswith(purchase["order"])
    charge = household["wallet"].pay_order(purchase["order"], PIN)
    assert charge["status"] == "succeeded", charge
    done = household[device].complete(purchase["id"])
    assert done["status"] == "paid"
    return done


def test_a_paid_app_is_bought_once_for_every_device(store, studio, make_apk, household, sandbox):
    package = f"com.studio.chess{uid()}"
    publish(studio, make_apk, package, price=1_200)
    tv, phone = household["tv"], household["phone"]
    with pytest.raises(LabError, match="402"):
        phone.download(package, 1)
    unpaid = phone.buy(package)
    refused(lambda: phone.complete(unpaid["id"]), 409, "payment_not_completed", "purchase")
    assert phone.buy(package)["id"] == unpaid["id"], "one pending purchase, not two"
    household["wallet"].pay_order(unpaid["order"], PIN)
    assert phone.complete(unpaid["id"])["status"] == "paid"
    assert package in tv.entitlements(), "bought on the phone, owned on the TV"
    assert tv.download(package, 1)[:2] == b"PK"
    refused(lambda: tv.buy(package), 409, "already_owned", "package")
    balance = sandbox.account(household["wallet"].account)["balance"]
    assert balance == 100_000_000 - 1_200
    month = time.strftime("%Y-%m", time.gmtime())
    [line] = [x for x in studio.statement(month)["lines"] if x["package"] == package]
    assert (line["gross"], line["rate"], line["fee"], line["net"]) == (1_200, 15, 180, 1_020)
    assert store.audit()["balanced"]


def test_a_refund_revokes_and_reverses(store, studio, make_apk, household, sandbox):
    package = f"com.studio.maps{uid()}"
    publish(studio, make_apk, package, price=999)
    bought = buy(household, "phone", package)
    refunded = household["phone"].refund(bought["id"])
    assert refunded["status"] == "refunded"
    assert household["phone"].refund(bought["id"])["status"] == "refunded", "once only"
    assert package not in household["tv"].entitlements()
    with pytest.raises(LabError, match="402"):
        household["tv"].download(package, 1)
    assert sandbox.account(household["wallet"].account)["balance"] == 100_000_000
    month = time.strftime("%Y-%m", time.gmtime())
    lines = [x for x in studio.statement(month)["lines"] if x["package"] == package]
    assert [(x["kind"], x["gross"], x["fee"], x["net"]) for x in lines] == [
        ("sale", 999, 150, 849),
        ("refund", -999, -150, -849),
    ]
    rows = list(csv.DictReader(io.StringIO(studio.statement_csv(month))))
    assert rows[-1]["date"] == "total" and int(rows[-1]["gross"]) == sum(
        int(r["gross"]) for r in rows[:-1]
    )
    assert store.audit()["balanced"]


def test_the_split_switches_at_a_million_yuan(store, studio, make_apk, household, sandbox):
    package = f"com.studio.pro{uid()}"
    publish(studio, make_apk, package, price=60_000_000)  # ¥600,000
    sandbox.top_up(household["wallet"].id, 100_000_000)
    first = buy(household, "phone", package)
    household["phone"].refund(first["id"])  # refunded: the room below the line is back
    buy(household, "phone", package)
    other = store.account(f"Other {uid()}")
    phone_id = f"phone-{uid()}"
    second = {"phone": store.device(phone_id, other, "phone", PHONE, 33).client(),
              "wallet": sandbox.wallet(phone_id, PIN, CARD, balance=100_000_000)}  # fmt: skip
    buy(second, "phone", package)  # net sales 600,000 -> 1,200,000: crosses at 1,000,000
    month = time.strftime("%Y-%m", time.gmtime())
    report = studio.statement(month)
    sales = [(x["gross"], x["rate"], x["fee"]) for x in report["lines"] if x["kind"] == "sale"]
    assert sales == [
        (60_000_000, 15, 9_000_000),
        (60_000_000, 15, 9_000_000),
        (40_000_000, 15, 6_000_000),
        (20_000_000, 30, 6_000_000),
    ]
    assert report["net_sales_year_to_date"] == 120_000_000
    assert store.audit()["balanced"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"package": "nodot", "title": "X"}, "package"),
        ({"package": "com.a.b", "title": ""}, "title"),
        ({"package": "com.a.b", "title": "X", "price": -1}, "price"),
        ({"package": "com.a.b", "title": "X", "price": "12"}, "price"),
        ({"package": "com.a.b", "title": "X", "colour": "red"}, "colour"),
    ],
)
def test_bad_apps_name_the_field(studio, body, field):
    refused(lambda: studio.api.post("/v1/developer/apps", body), 400, "parameter_invalid", field)
    assert studio.apps() == []


def test_keys_see_only_their_own(store, studio, household):
    app = {"package": "a.b", "title": "X"}
    refused(lambda: household["phone"].api.post("/v1/developer/apps", app), 403, "forbidden")
    refused(lambda: studio.api.get("/v1/catalog"), 403, "forbidden")
    refused(
        lambda: studio.api.get("/v1/developer/statements/2026-13"),
        400,
        "parameter_invalid",
        "month",
    )
