"""Payment figures, one run: a QR payment end to end on the watch (code on screen ->
the shop reads it from a screenshot -> micropay -> banner seen in the hierarchy), an NFC
tap through the virtual PN532 with nfcpy (field on -> GENERATE AC -> approved), and the
sandbox's throughput with Idempotency-Keys (orders and charges, loaded by wrk). Aims: NFC
card exchange <= 500 ms, QR <= 1.5 s, sandbox >= 500 requests/s with p99 <= 50 ms."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.farm import service_farm
from bench.stats import ms
from lab import rig
from lab.cloud.payment import PaymentSandbox
from lab.device.dut import Dut
from lab.farm.checkout import checkout
from lab.inventory import load_inventory
from lab.pay import terminal
from lab.pay.wallet import provision
from lab.protocols import paycode
from lab.protocols.pan import with_check_digit

LAB = str(Path(sys.executable).with_name("lab"))
PIN = "274653"
CARD = with_check_digit("621700123456789")
INVENTORY = """farm:
  services:
    payment: {url: "http://127.0.0.1:6760"}
devices:
  - id: p-watch
    class: watch
    model: Bench
    platform: TOS+ 1.2
    virtual: true
    adb: {serial: "127.0.0.1:6762"}
    display: {width: 454, height: 454, density: 320, shape: round}
    capabilities: [touch, round_display, nfc, qr_pay, payment]
peripherals:
  - {id: p-nfc, kind: nfc_reader, model: PN532, virtual: true, port: pty, faces: p-watch}
"""


def _qr_payments(dut: Dut, sandbox: PaymentSandbox, rounds: int) -> list[float]:
    shop = sandbox.merchant("Bench Shop")
    provision(dut, sandbox, PIN, CARD, 1_000_000)
    samples = []
    for _ in range(rounds):
        dut.shell(["am", "start", "-n", "com.tos.wallet/.PayCode"], check=True)
        dut.ui.exists(timeout=5, resourceId="com.tos.wallet:id/qr")
        time.sleep(1.05)  # a fresh code per round: one a second per wallet
        started = time.perf_counter()
        codes = dut.screen.qr_codes()
        charge = shop.micropay(codes[0].text, amount=1000, description="bench")
        assert charge["status"] == "succeeded", charge
        assert dut.ui.exists(timeout=10, text="Payment successful")
        samples.append(time.perf_counter() - started)
        dut.ui.tap(resourceId="com.tos.wallet:id/done")
    return samples


def _nfc_taps(dut: Dut, sandbox: PaymentSandbox, inventory, rounds: int):
    shop = sandbox.merchant("Bench Terminal")
    provision(dut, sandbox, PIN, CARD, 1_000_000)
    dut.shell(["am", "start", "-n", "com.tos.wallet/.PayCode"], check=True)
    dut.ui.exists(timeout=5, resourceId="com.tos.wallet:id/qr")
    exchange, approved = [], []
    with rig.open(dut, "nfc_reader") as reader:
        for _ in range(rounds):
            started = time.perf_counter()
            read = terminal.tap(reader, 800)
            charge = shop.nfc_authorize(800, read.icc_data, "bench tap")
            approved.append(time.perf_counter() - started)
            exchange.append(read.seconds)
            assert charge["status"] == "succeeded", charge
            # the banner takes the screen; the next customer opens pay mode again
            assert dut.ui.exists(timeout=10, resourceId="com.tos.wallet:id/done")
            dut.ui.tap(resourceId="com.tos.wallet:id/done")
            dut.shell(["am", "start", "-n", "com.tos.wallet/.PayCode"], check=True)
            dut.ui.exists(timeout=5, resourceId="com.tos.wallet:id/qr")
    return exchange, approved


WRK_SCRIPT = Path(__file__).with_name("wrk_post.lua")


def _wrk(url: str, key: str, path: str, clients: int, seconds: int, bodies: Path | None = None,
         body: dict | None = None) -> dict:  # fmt: skip
    """One wrk run (C, one thread: the client must never be the bottleneck on 2 cores)."""
    env = {**os.environ, "WRK_PATH": path, "WRK_KEY": key, "WRK_RUN": uuid.uuid4().hex,
           "WRK_THREADS": "1", "WRK_BODY": json.dumps(body or {})}  # fmt: skip
    if bodies:
        env["WRK_BODIES"] = str(bodies)
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "-s", str(WRK_SCRIPT), url]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr.strip()}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["non2xx"] == figures["socket_errors"] == 0, figures
    return figures


def _rate(what: str, figures: dict) -> tuple[str, str]:
    rate = figures["requests"] / figures["seconds"]
    return what, (
        f"**{rate:.0f} req/s**; p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms "
        f"({figures['requests']} requests, 0 errors)"
    )


def _throughput(sandbox: PaymentSandbox, folder: Path) -> list[tuple[str, str]]:
    shop = sandbox.merchant("Bench Load")
    key = shop.key
    rows = []
    for clients in (8, 32):
        figures = _wrk(sandbox.url, key, "/v1/orders", clients, 10,
                       body={"amount": 150, "description": "load"})  # fmt: skip
        what = f"sandbox: POST /v1/orders, a fresh Idempotency-Key each, {clients} connections"
        rows.append(_rate(what, figures))
    # charges: codes are single use and one a second per wallet, so many wallets, and the
    # codes of their last 40 seconds (valid 60 s), made just before the run
    wallets = [sandbox.wallet(f"load-{n}", PIN, CARD, 1_000_000) for n in range(100)]
    now = int(time.time())
    bodies = folder / "micropay.jsonl"
    with bodies.open("w") as out:
        for k in range(40):
            for w in wallets:
                code = paycode.issue(w.code_secret, w.number, now - k)
                out.write(json.dumps({"auth_code": code, "amount": 1}) + "\n")
    figures = _wrk(sandbox.url, key, "/v1/micropay", 8, 8, bodies=bodies)
    assert figures["reused_bodies"] == 0, figures
    what = "sandbox: POST /v1/micropay (code check, ledger, wallet event), 8 connections"
    rows.append(_rate(what, figures))
    audit = sandbox.audit()
    assert audit["balanced"], audit
    return rows


def run() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    with service_farm(INVENTORY, "bench-pay-") as (inventory_path, folder):
        inventory = load_inventory(inventory_path)
        sandbox = PaymentSandbox.of(inventory)
        logs = folder / "logs"
        with checkout(inventory, "p-watch", purpose="bench payment", log_dir=logs) as dut:
            qr = _qr_payments(dut, sandbox, 20)
            rows.append(
                (
                    "QR payment on the watch: screenshot -> QR read -> micropay -> banner in "
                    "the hierarchy",
                    f"{ms(qr)}; max {max(qr) * 1000:.0f} ms (aim <= 1500)",
                )
            )
            exchange, approved = _nfc_taps(dut, sandbox, inventory, 50)
            rows.append(
                (
                    "NFC card exchange (field on -> GENERATE AC answered), nfcpy + virtual PN532",
                    f"{ms(exchange)}; max {max(exchange) * 1000:.0f} ms (aim <= 500)",
                )
            )
            rows.append(("NFC tap field on -> sandbox approved", ms(approved)))
        rows += _throughput(sandbox, folder)
    return rows
