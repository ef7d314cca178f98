"""Run every benchmark module in bench/ and print its figures as Markdown tables.

Each module exposes `run() -> list[tuple[str, str]]` (what, figure). Results are also kept
in bench/results/latest.json for comparing runs.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

import bench

RESULTS = Path(__file__).with_name("results")


def main(selected: list[str]) -> int:
    collected: dict[str, list[tuple[str, str]]] = {}
    for module in pkgutil.iter_modules(bench.__path__):
        if not module.name.startswith("bench_"):
            continue
        name = module.name.removeprefix("bench_")
        if selected and name not in selected:
            continue
        started = time.perf_counter()
        print(f"## {name}", flush=True)
        rows = importlib.import_module(f"bench.{module.name}").run()
        print("| what | figure |\n|---|---|")
        for what, figure in rows:
            print(f"| {what} | {figure} |")
        print(f"\n({time.perf_counter() - started:.1f} s)\n", flush=True)
        collected[name] = rows
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(collected, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
