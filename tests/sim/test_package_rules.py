"""A virtual device's package manager keeps Android's rules, checked through the real adb
CLI with APKs the lab builds: signatures verified (apksig), the same signer for an update,
no downgrade, required features and the SDK level; `pm` and `dumpsys` show the result."""

from __future__ import annotations

import zipfile

import pytest

from lab.apk.build import ApkSpec, build
from lab.apk.keys import make_key
from tests.apk.test_build import flip_byte
from tests.virtual_farm import SERIALS

PHONE, TV = SERIALS["t-phone"], SERIALS["t-tv"]


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keys")
    return make_key(folder / "studio", "Studio"), make_key(folder / "rival", "Rival")


@pytest.fixture(scope="module")
def apks(tmp_path_factory, keys):
    folder = tmp_path_factory.mktemp("apks")
    studio, rival = keys

    def make(name: str, spec: ApkSpec, key=studio):
        return build(spec, folder / f"{name}.apk", key)

    return {
        "v1": make("v1", ApkSpec("com.studio.notes", 1, "1.0", "Notes")),
        "v2": make("v2", ApkSpec("com.studio.notes", 2, "2.0", "Notes")),
        "rival": make("rival", ApkSpec("com.studio.notes", 3, "3.0", "Notes"), rival),
        "touch": make(
            "touch", ApkSpec("com.studio.paint", 1, features=("android.hardware.touchscreen",))
        ),
        "tv": make("tv", ApkSpec("com.studio.tvguide", 1, features=("android.software.leanback",))),
        "future": make("future", ApkSpec("com.studio.future", 1, min_sdk=34, target_sdk=34)),
        "big": make("big", ApkSpec("com.studio.big", 1, payload_bytes=1 << 20)),
    }


def install(farm, serial: str, apk) -> str:
    done = farm.adb(serial, "install", "-r", str(apk))
    return (done.stdout + done.stderr).strip()


def shell(farm, serial: str, command: str) -> str:
    return farm.adb(serial, "shell", command).stdout


def test_install_update_and_the_rules_of_an_update(farm, apks, keys):
    farm.adb(PHONE, "uninstall", "com.studio.notes")
    assert "Success" in install(farm, PHONE, apks["v1"])
    assert "package:com.studio.notes" in shell(farm, PHONE, "pm list packages -3")
    assert "Success" in install(farm, PHONE, apks["v2"])
    said = install(farm, PHONE, apks["v1"])
    assert "INSTALL_FAILED_VERSION_DOWNGRADE" in said
    assert "Update version code 1 is older than current 2" in said
    said = install(farm, PHONE, apks["rival"])
    assert "INSTALL_FAILED_UPDATE_INCOMPATIBLE" in said
    assert "signatures do not match previously installed version" in said
    dump = shell(farm, PHONE, "dumpsys package com.studio.notes")
    assert "versionCode=2 minSdk=24" in dump and "versionName=2.0" in dump
    assert f"signatures:[{keys[0].digest()[:8]}]" in dump, "the first signer stays"
    assert farm.adb(PHONE, "uninstall", "com.studio.notes").returncode == 0
    assert "Success" in install(farm, PHONE, apks["rival"]), "once removed, another signer may"
    farm.adb(PHONE, "uninstall", "com.studio.notes")


def test_required_features_and_sdk(farm, apks):
    said = install(farm, TV, apks["touch"])
    assert "INSTALL_FAILED_MISSING_FEATURE" in said
    assert "requires unavailable feature android.hardware.touchscreen" in said
    assert "INSTALL_FAILED_MISSING_FEATURE" in install(farm, PHONE, apks["tv"])
    assert "Success" in install(farm, TV, apks["tv"])
    assert "Success" in install(farm, PHONE, apks["touch"])
    said = install(farm, PHONE, apks["future"])
    assert (
        "INSTALL_FAILED_OLDER_SDK: Requires newer sdk version #34 (current version is #33)" in said
    )
    features = shell(farm, TV, "pm list features").split()
    assert "feature:android.software.leanback" in features
    assert "feature:android.hardware.touchscreen" not in features
    assert "feature:android.hardware.touchscreen" in shell(farm, PHONE, "pm list features").split()
    for serial, name in ((TV, "com.studio.tvguide"), (PHONE, "com.studio.paint")):
        farm.adb(serial, "uninstall", name)


def test_a_changed_byte_or_no_signature_is_refused(farm, apks, tmp_path):
    tampered = flip_byte(apks["big"], "assets/payload.bin", tmp_path / "tampered.apk")
    said = install(farm, PHONE, tampered)
    assert "INSTALL_PARSE_FAILED_NO_CERTIFICATES" in said and "digest" in said.lower()
    unsigned = tmp_path / "unsigned.apk"
    with zipfile.ZipFile(apks["v1"]) as source, zipfile.ZipFile(unsigned, "w") as out:
        out.writestr("AndroidManifest.xml", source.read("AndroidManifest.xml"))
    assert "INSTALL_PARSE_FAILED_NO_CERTIFICATES" in install(farm, PHONE, unsigned)
    packages = shell(farm, PHONE, "pm list packages")
    assert "com.studio.big" not in packages and "com.studio.notes" not in packages


def test_the_launcher_shows_an_installed_app_and_starts_it(farm, apks):
    import uiautomator2

    assert "Success" in install(farm, PHONE, apks["big"])
    try:
        device = uiautomator2.connect(PHONE)
        device.press("home")
        assert device(text="big").wait(timeout=10)
        device(text="big").click()
        assert device.app_current()["package"] == "com.studio.big"
    finally:
        farm.adb(PHONE, "uninstall", "com.studio.big")
