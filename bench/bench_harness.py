"""The harness's cost: overhead per test (lease, logcat span, labels, Allure results)
against the bare device call, and a uiautomator2 call through `dut.ui` against stock."""

from __future__ import annotations

import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import uiautomator2 as u2

from bench.farm import SERIALS, BenchFarm
from bench.stats import ms, timed
from lab.farm.checkout import checkout
from lab.inventory import load_inventory

SMALL, LARGE = 20, 320  # tests in the two suites whose wall times are compared
SUITE = """
import pytest

@pytest.mark.parametrize("n", range({count}))
def test_one_call(dut, n):
    assert dut.shell("echo x").stdout == "x\\n"
"""


def _suite_seconds(farm: BenchFarm, count: int, profile: Path | None = None) -> float:
    folder = Path(tempfile.mkdtemp(prefix="bench-suite-"))
    (folder / "test_calls.py").write_text(SUITE.format(count=count))
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            *profiler,
            "-m",
            "pytest",
            str(folder),
            "-q",
            "-p",
            "no:cacheprovider",
            "--inventory",
            str(farm.inventory),
            "--device",
            "b-phone",
            "--alluredir",
            str(folder / "results"),
            "-o",
            "addopts=",
        ],
        env=farm.env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return time.perf_counter() - started


def _where_the_time_goes(farm: BenchFarm, count: int = 80) -> str:
    """The lab's own functions that take the most of a test, from cProfile over a run of
    `count` tests (cumulative time per test; cProfile itself slows calls down)."""
    out = Path(tempfile.mkdtemp(prefix="bench-profile-")) / "run.prof"
    _suite_seconds(farm, count, profile=out)
    stats = pstats.Stats(str(out))
    rows = []
    for (path, _, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "/lab/" in path and "/lab/sim/" not in path and not name.startswith("<"):
            where = path[path.index("/lab/") + 1 :]
            rows.append((cumulative / count * 1000, f"{where}:{name}"))
    top = sorted(rows, reverse=True)[:8]
    return "; ".join(f"{label} {spent:.1f} ms" for spent, label in top)


def run() -> list[tuple[str, str]]:
    farm = BenchFarm()
    rows: list[tuple[str, str]] = []
    stack = ExitStack()
    try:
        farm.up("phone", "watch")
        inventory = load_inventory(farm.inventory)
        with checkout(inventory, "b-phone", purpose="bench harness") as dut:
            bare = timed(lambda: dut.shell("echo x"), 100, warmup=5)
        rows.append(("bare device call: `dut.shell('echo x')` (shell v2)", ms(bare)))
        # the difference of two suites' wall times: 300 tests apart, the median of three
        # runs each (a few ms a test drowned in one run's noise at 60 apart)
        small = statistics.median(_suite_seconds(farm, SMALL) for _ in range(3))
        large = statistics.median(_suite_seconds(farm, LARGE) for _ in range(3))
        per_test = (large - small) / (LARGE - SMALL)
        overhead = per_test - statistics.median(bare)
        rows.append(
            (
                "one test with one call, through pytest + plugin + Allure results",
                f"{per_test * 1000:.1f} ms (from {LARGE} vs {SMALL} tests: {large:.2f} s vs "
                f"{small:.2f} s, medians of 3)",
            )
        )
        ratio = overhead / statistics.median(bare)
        rows.append(("where a test's time goes (cProfile, cumulative per test)",
                     _where_the_time_goes(farm)))  # fmt: skip
        rows.append(
            (
                "harness overhead per test (checkout, spans, steps, labels, results): the "
                "test's time less its one call",
                f"{overhead * 1000:.1f} ms = {ratio:.1f}x the bare call",
            )
        )

        stock = u2.connect(SERIALS["watch"])
        stock.info  # noqa: B018 - agent up before timing
        lab = stack.enter_context(checkout(inventory, "b-watch", purpose="bench harness"))
        lab.ui.info  # noqa: B018
        stock_times = timed(lambda: stock.info, 30)
        lab_times = timed(lambda: lab.ui.info, 30)
        rows.append(("uiautomator2 `info`, stock client", ms(stock_times)))
        rows.append(("uiautomator2 `info` through `dut.ui` (TCP_NODELAY)", ms(lab_times)))
        rows.append(
            (
                "`dut.ui` speed-up over stock (same run, medians)",
                f"{statistics.median(stock_times) / statistics.median(lab_times):.0f}x",
            )
        )
        dump_stock = timed(stock.dump_hierarchy, 15)
        dump_lab = timed(lab.ui.dump, 15)
        rows.append(
            ("`dump_hierarchy()` stock / through `dut.ui`", f"{ms(dump_stock)} / {ms(dump_lab)}")
        )
    finally:
        stack.close()
        farm.down()
    return rows
