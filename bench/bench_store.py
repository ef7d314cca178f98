"""Installing through the store against `adb install`, one run, on a virtual phone: a 5 MB
and a 50 MB APK (incompressible payload). Store: tap Install on the app's page -> the
page offers Open (downloaded over HTTP, SHA-256 checked, signature verified by apksig,
installed) -> the launcher shows the icon. adb: `adb install` (push over the adb
transport, the same package manager path). The ratio says what the store's download and
checks cost beside the transfer."""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from bench.farm import ADB, service_farm
from lab.apk.build import ApkSpec, build
from lab.apk.keys import make_key
from lab.appstore.device import join
from lab.cloud.store import Store
from lab.device.dut import Dut
from lab.farm.checkout import checkout
from lab.inventory import load_inventory

SERIAL = "127.0.0.1:6782"
INVENTORY = f"""farm:
  services:
    payment: {{url: "http://127.0.0.1:6780"}}
    store: {{url: "http://127.0.0.1:6781"}}
devices:
  - id: s-phone
    class: phone
    model: Bench
    platform: TOS+ 1.2
    virtual: true
    adb: {{serial: "{SERIAL}"}}
    display: {{width: 1080, height: 2340, density: 440}}
    capabilities: [touch, store]
"""
ROUNDS = 5
STORE = "com.tos.store"


def _store_install(dut: Dut, package: str, label: str) -> float:
    dut.shell(["am", "start", "-n", f"{STORE}/.Details", "--es", "package", package], check=True)
    assert dut.ui.exists(timeout=10, resourceId=f"{STORE}:id/install")
    started = time.perf_counter()
    dut.ui.tap(resourceId=f"{STORE}:id/install")
    assert dut.ui.exists(timeout=120, resourceId=f"{STORE}:id/open"), "not installed"
    took = time.perf_counter() - started
    dut.ui.press("home")
    assert dut.ui.exists(timeout=10, text=label), "no launcher icon"
    return took


def _adb_install(apk: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([ADB, "-s", SERIAL, "install", "-r", str(apk)], capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    took = time.perf_counter() - started
    assert "Success" in done.stdout, done.stdout + done.stderr
    return took


def _uninstall(package: str) -> None:
    subprocess.run([ADB, "-s", SERIAL, "uninstall", package], capture_output=True, timeout=60)


def run() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    folder = Path(tempfile.mkdtemp(prefix="bench-apks-"))
    key = make_key(folder / "bench", "Bench Studio")
    with service_farm(INVENTORY, "bench-store-") as (inventory_path, runtime):
        inventory = load_inventory(inventory_path)
        store = Store.of(inventory)
        studio = store.developer("Bench Studio")
        with checkout(inventory, "s-phone", purpose="bench store", log_dir=runtime / "logs") as dut:
            join(dut, store, store.account("Bench user"))
            for megabytes in (5, 50):
                tag = uuid.uuid4().hex[:6]
                package, label = f"com.bench{tag}.size{megabytes}", f"Size {megabytes} {tag}"
                apk = build(ApkSpec(package, 1, label=label, payload_bytes=megabytes * 10**6),
                            folder / f"{megabytes}.apk", key)  # fmt: skip
                studio.create_app(package, label)
                studio.upload(package, apk)
                via_store, via_adb = [], []
                for _ in range(ROUNDS):
                    via_store.append(_store_install(dut, package, label))
                    _uninstall(package)
                    via_adb.append(_adb_install(apk))
                    _uninstall(package)
                s, a = statistics.median(via_store), statistics.median(via_adb)
                size = apk.stat().st_size / 1e6
                what = f"install a {size:.1f} MB APK through the store (tap Install -> installed)"
                rows.append((what, f"{s * 1000:.0f} ms median"))
                rows.append(
                    ("install the same APK with `adb install`", f"{a * 1000:.0f} ms median")
                )
                rows.append((f"store / adb install, {size:.0f} MB", f"**{s / a:.2f}x**"))
    return rows
