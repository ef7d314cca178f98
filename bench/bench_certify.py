"""Certification wall time of one plan on one device vs two of the same model: the TOS+
watch plan (lab/tos/data/plans/tos-watch.yaml: smoke, payment, voice; 31 tests) on a bench
farm of two TOS Watch W1 (each with its NFC reader), its own payment sandbox and store;
`lab certify run` end to end (build read before and after, collection, the run sharded
with --shard, bundle, signing). Aim: two take <= 0.6x the time of one."""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from bench.farm import LAB, service_farm
from lab.certify.plan import find_plan
from tests.farm.pool import watch

ROOT = Path(__file__).resolve().parents[1]
PLAN = find_plan("tos-watch")
CAPABILITIES = (
    "touch, round_display, nfc, qr_pay, payment, microphone, speaker, voice, battery, console, wifi"
)
INVENTORY = (
    'farm:\n  services:\n    payment: {url: "http://127.0.0.1:6850"}\n'
    '    store: {url: "http://127.0.0.1:6851"}\ndevices:\n'
    + watch("w-a", 6840, CAPABILITIES)
    + watch("w-b", 6842, CAPABILITIES)
    + "peripherals:\n"
    "  - {id: nfc-a, kind: nfc_reader, model: PN532, virtual: true, port: pty, faces: w-a}\n"
    "  - {id: nfc-b, kind: nfc_reader, model: PN532, virtual: true, port: pty, faces: w-b}\n"
)


def _certify(inventory: Path, devices: list[str], key: Path, out: Path) -> tuple[float, str]:
    args = [LAB, "certify", "run", "--plan", str(PLAN), "--inventory", str(inventory),
            "--key", str(key), "--out", str(out)]  # fmt: skip
    args += [a for d in devices for a in ("--device", d)]
    started = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=1200)
    took = time.perf_counter() - started
    said = next((line for line in done.stdout.splitlines() if line.startswith("session ")), "")
    if not said:
        raise RuntimeError(f"certify run gave no session:\n{done.stdout[-1500:]}{done.stderr}")
    return took, said


def run() -> list[tuple[str, str]]:
    with service_farm(INVENTORY, "bench-certify-") as (inventory, folder):
        key = folder / "bench.key"
        subprocess.run([LAB, "certify", "keygen", "--key", str(key)], check=True,
                       capture_output=True)  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="bench-certify-out-") as out:
            one, said_one = _certify(inventory, ["w-a"], key, Path(out) / "one")
            two, said_two = _certify(inventory, ["w-a", "w-b"], key, Path(out) / "two")
    return [
        ("plan", "tos-watch (smoke, payment, voice) on TOS Watch W1"),
        ("one device", f"{one:.1f} s ({said_one.split(': ', 1)[-1]})"),
        ("two devices of the model", f"{two:.1f} s ({said_two.split(': ', 1)[-1]})"),
        ("two / one", f"{two / one:.2f}x (aim <= 0.6x)"),
    ]
