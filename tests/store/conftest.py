"""Store tests: the features of the devices they register (the APKs they upload are made
by the `make_apk` fixture of tests/conftest.py)."""

from __future__ import annotations

WATCH = ["android.hardware.type.watch", "android.hardware.touchscreen"]
TV = ["android.hardware.type.television", "android.software.leanback"]
PHONE = ["android.hardware.touchscreen", "android.hardware.telephony"]
