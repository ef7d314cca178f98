"""A device's store app for a test: the device is registered in the store under an
account with what it really is (its features from `pm list features`, its API level from
`ro.build.version.sdk`), then its store app is pointed at the store over adb (a pushed
file and a broadcast, lab/device/app_config.py). A device without the store app says so."""

from __future__ import annotations

from lab.cloud.store import DeviceAccess, Store
from lab.device.app_config import push_config
from lab.device.dut import Dut
from lab.errors import ProductFailure

ACTION = "com.tos.store.action.CONFIGURE"
RECEIVER = "com.tos.store/.StoreReceiver"
REMOTE = "/data/local/tmp/tos-store.json"


class StoreNotConfigured(ProductFailure):
    """The device's store app did not come up with the configuration the lab gave it."""


def features(dut: Dut, timeout: float = 15.0) -> list[str]:
    listed = dut.shell(["pm", "list", "features"], check=True, timeout=timeout).stdout
    return sorted(
        line.removeprefix("feature:").strip()
        for line in listed.splitlines()
        if line.startswith("feature:")
    )


def join(dut: Dut, store: Store, account: str, timeout: float = 15.0) -> DeviceAccess:
    """Register `dut` under `account` and configure its store app; its access."""
    sdk = int(
        dut.shell(["getprop", "ro.build.version.sdk"], check=True, timeout=timeout).stdout.strip()
    )
    access = store.device(dut.id, account, dut.device_class, features(dut, timeout), sdk)
    settings = {"endpoint": access.url, "device": access.id, "api_key": access.api_key}
    accepted, said = push_config(dut, ACTION, RECEIVER, REMOTE, settings, timeout)
    if not accepted:
        raise StoreNotConfigured(
            f"{dut.id}: the store app did not take its configuration ({said})",
            hint="is the TOS+ store (com.tos.store) on this device?",
        )
    return access
