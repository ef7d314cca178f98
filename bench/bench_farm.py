"""The shared farm: how well a pool of identical devices is used, what a lease costs in
each store, and how fast the dashboard shows a change.

- Farm efficiency: the I/O-bound suite (bench/io_suite, 48 tests of about 0.6 s of device
  time each) with `lab run --shard` on 1, 2 and 4 TOS Watch W1, one worker per device.
  Efficiency at N = T(1) / (N * T(N)), from the test makespan (first start to last stop in
  the Allure results) and from the wall time of the whole `lab run` (start-up and report
  included). Aim: >= 0.9 at 4.
- Lease latency: acquire and release of a free device, 300 each, in the file store and in
  Redis (a local redis-server from `lab farm up`, TTL 15 s).
- Dashboard: 20 health changes written to the store, each timed until the open page (Debian's
  chromium, Playwright) shows it.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.farm import LAB
from lab.farm.books import Books
from lab.farm.file_store import FileLeaseStore
from lab.farm.health import Health, HealthRecord
from lab.farm.redis_store import RedisLeaseStore
from tests.farm.dashboard import serve_dashboard
from tests.farm.pool import watch

ROOT = Path(__file__).resolve().parents[1]
IO_SUITE = ROOT / "bench" / "io_suite"
TESTS = 48
IDS = ["f-1", "f-2", "f-3", "f-4"]
PORT0, REDIS_PORT, DASHBOARD_PORT = 6860, 6879, 6878


def _lab(env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([LAB, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)  # fmt: skip


def _makespan(results: Path) -> float:
    found = [json.loads(p.read_text()) for p in results.glob("*-result.json")]
    if len(found) != TESTS or any(r["status"] != "passed" for r in found):
        raise RuntimeError(f"the I/O suite did not pass: {len(found)} results in {results}")
    return (max(r["stop"] for r in found) - min(r["start"] for r in found)) / 1000


def _efficiency(inventory: Path, env: dict, folder: Path) -> list[tuple[str, str]]:
    rows, base = [], None
    for count in (1, 2, 4):
        reports = folder / f"reports-{count}"
        devices = [a for d in IDS[:count] for a in ("--device", d)]
        started = time.perf_counter()
        done = _lab({**env, "IO_TESTS": str(TESTS)}, "run", str(IO_SUITE), "--inventory",
                    str(inventory), "-n", str(count), "--no-sim", "--pytest-arg=--shard",
                    "--report-dir", str(reports), *devices)  # fmt: skip
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"lab run on {count} devices failed:\n{done.stdout[-2000:]}")
        span = _makespan(reports / "allure-results")
        base = base or (span, wall)
        rows.append((f"{count} device(s): tests / whole run",
                     f"{span:.1f} s / {wall:.1f} s; efficiency {base[0] / (count * span):.2f}"
                     f" / {base[1] / (count * wall):.2f}"))  # fmt: skip
    return rows


def _latency(store: Books, name: str) -> list[tuple[str, str]]:
    acquire, release = [], []
    for n in range(300):
        started = time.perf_counter()
        lease = store.acquire(f"bench-{n % 4}", "bench", timeout=5)
        middle = time.perf_counter()
        store.release(lease)
        release.append(time.perf_counter() - middle)
        acquire.append(middle - started)

    def figure(samples: list[float]) -> str:
        ordered = sorted(samples)
        p95 = ordered[int(len(ordered) * 0.95)]
        return f"median {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"

    return [(f"{name}: acquire", figure(acquire)), (f"{name}: release", figure(release))]


def _dashboard(inventory: Path, env: dict, store: Books) -> list[tuple[str, str]]:
    from playwright.sync_api import sync_playwright

    server = serve_dashboard(inventory, env, DASHBOARD_PORT, "--no-thumbnails")
    seconds = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                                 args=["--no-sandbox"])  # fmt: skip
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{DASHBOARD_PORT}/")
            page.wait_for_selector('tr[data-device="f-4"]')
            for n in range(20):
                state = Health.MAINTENANCE if n % 2 == 0 else Health.UNKNOWN
                started = time.monotonic()
                store.set_health(HealthRecord("f-4", state, f"bench {n}", "bench"))
                page.wait_for_selector(f'tr[data-device="f-4"][data-health="{state.value}"]')
                seconds.append(time.monotonic() - started)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    ordered = sorted(seconds)
    return [("dashboard: store change to page",
             f"median {statistics.median(ordered) * 1000:.0f} ms, p95 "
             f"{ordered[int(len(ordered) * 0.95)] * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms "
             f"(aim <= 1 s)")]  # fmt: skip


def run() -> list[tuple[str, str]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-farm-pool-"))
    inventory = folder / "farm.yaml"
    watches = [watch(d, PORT0 + 2 * n, "touch, round_display, console") for n, d in enumerate(IDS)]
    inventory.write_text("farm:\n  lease_store: file:leases\ndevices:\n" + "".join(watches))
    redis_inventory = folder / "redis.yaml"
    redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    redis_inventory.write_text(inventory.read_text().replace("file:leases", redis_url))
    env = {**os.environ, "LAB_RUNTIME_DIR": str(folder / "runtime")}
    rows: list[tuple[str, str]] = []
    _lab(env, "sim", "up", "--inventory", str(inventory), "--boot-seconds", "0.5")
    _lab(env, "farm", "up", "--inventory", str(redis_inventory))
    try:
        rows += _efficiency(inventory, env, folder)
        rows += _latency(FileLeaseStore(folder / "bench-leases"), "file store")
        redis_store = RedisLeaseStore(redis_url)
        redis_store.client.flushdb()
        rows += _latency(redis_store, "Redis store")
        rows += _dashboard(inventory, env, FileLeaseStore(folder / "leases"))
    finally:
        _lab(env, "farm", "down", "--inventory", str(redis_inventory))
        _lab(env, "sim", "down", "--inventory", str(inventory))
    return rows
