"""The store's revenue ledger walked through 1,000 random sequences of purchases and
refunds (tests/services/store/revenue_walk.py; `make test` walks a sample of 150), every step
checked against the model: how long the whole walk takes and what it was made of."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.farm import service_farm
from lab.apk.build import ApkSpec, build
from lab.apk.keys import make_key
from lab.cloud.payment import PaymentSandbox
from lab.cloud.store import Store
from lab.inventory import load_inventory
from tests.services.store.revenue_walk import SEED, walk

SEQUENCES = 1000
INVENTORY = """farm:
  services:
    payment: {url: "http://127.0.0.1:6790"}
    store: {url: "http://127.0.0.1:6791"}
devices:  # none is started: the walk acts as the devices' store apps over HTTP
  - {id: r-phone, class: phone, model: P, platform: TOS+ 1.2, adb: {serial: R1},
     display: {width: 1080, height: 2340, density: 440}}
"""


def run() -> list[tuple[str, str]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-revenue-"))
    key = make_key(folder / "studio", "Studio")

    def make_apk(package: str, code: int):
        out = folder / f"{package}-{code}.apk"
        if not out.exists():
            build(ApkSpec(package, code), out, key)
        return out

    with service_farm(INVENTORY, "bench-revenue-") as (inventory_path, _):
        inventory = load_inventory(inventory_path)
        started = time.perf_counter()
        steps = walk(Store.of(inventory), PaymentSandbox.of(inventory), make_apk, SEQUENCES)
        took = time.perf_counter() - started
    made = ", ".join(f"{n} {what}" for what, n in sorted(steps.items()))
    return [
        (f"{SEQUENCES} sequences (seed {SEED}), every step checked", f"{took:.0f} s"),
        ("what they were made of", made),
        ("per store operation (buy, pay, complete; or refund)",
         f"{took / max(1, steps['sale'] + steps['refund']) * 1000:.0f} ms"),
    ]  # fmt: skip
