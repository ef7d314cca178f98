"""Store tests: APKs signed by keys made here, a developer, and devices of one account."""

from __future__ import annotations

import pytest

from lab.apk.build import ApkSpec, build
from lab.apk.keys import make_key

WATCH = ["android.hardware.type.watch", "android.hardware.touchscreen"]
TV = ["android.hardware.type.television", "android.software.leanback"]
PHONE = ["android.hardware.touchscreen", "android.hardware.telephony"]


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
