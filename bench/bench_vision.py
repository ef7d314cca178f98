"""Vision: `locate` against Airtest's matcher on the same generated benchmark (accuracy and
median time per case, as ratios, in one run), and compare/locate timings by screen size.

The cases come from tests/vision/cases.py: real screenshots of the four virtual classes and
perturbed copies. Airtest runs in .venv-bench (`make bench` creates it) through
bench/airtest_matcher.py, on the very same images written losslessly to disk.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from bench.farm import BenchFarm
from bench.stats import ms, timed
from lab.device.factory import open_dut
from lab.inventory import load_inventory
from lab.vision import Template, compare, locate
from tests.vision.cases import Case, Shot, hit, negatives, positives, take_shots

ROOT = Path(__file__).resolve().parent.parent
BENCH_PYTHON = ROOT / ".venv-bench" / "bin" / "python"
POSITIVES, NEGATIVES = 600, 200
HERSHEY = (500, 300)  # positives, negatives of tests/vision/hershey.py


@dataclass
class Outcome:
    found: int  # positives within 3 px
    false: int  # negatives matched
    seconds: list[float]  # per case, positives then negatives
    positives: int = POSITIVES
    negatives: int = NEGATIVES

    def accuracy(self) -> float:
        return self.found / self.positives

    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    def p95_ms(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000

    def describe(self) -> str:
        return (
            f"{self.found}/{self.positives} ({self.accuracy():.1%}) within 3 px · "
            f"{self.false}/{self.negatives} false · median {self.median_ms():.1f} ms/case"
            f" (p95 {self.p95_ms():.0f})"
        )


def _score(
    cases: list[Case],
    centres: list[tuple[float, float] | None],
    seconds,
    positives: int = POSITIVES,
) -> Outcome:
    found = sum(hit(c, centre) for c, centre in zip(cases[:positives], centres, strict=False))
    false = sum(centre is not None for centre in centres[positives:])
    return Outcome(found, false, list(seconds), positives, len(cases) - positives)


def _ours(cases: list[Case], with_density: bool, positives: int = POSITIVES) -> Outcome:
    centres, seconds = [], []
    for case in cases:
        template = case.template if with_density else Template(case.template.image)
        density = case.screen_density if with_density else None
        started = time.perf_counter()
        match = locate(case.screen, template, screen_density=density)
        seconds.append(time.perf_counter() - started)
        centres.append(match.center if match else None)
    return _score(cases, centres, seconds, positives)


def _write_cases(cases: list[Case], folder: Path) -> None:
    manifest = []
    for number, case in enumerate(cases):
        screen, template = f"{number:04d}-screen.png", f"{number:04d}-template.png"
        cv2.imwrite(str(folder / screen), case.screen, [cv2.IMWRITE_PNG_COMPRESSION, 1])
        cv2.imwrite(str(folder / template), case.template.image)
        manifest.append(
            {
                "id": number,
                "screen": screen,
                "template": template,
                "recorded_on": case.recorded_on,
                "recorded_at": case.recorded_at,
            }
        )
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _airtest(cases: list[Case], folder: Path, mode: str) -> Outcome:
    done = subprocess.run(
        [str(BENCH_PYTHON), str(ROOT / "bench" / "airtest_matcher.py"), str(folder), mode],
        stdout=subprocess.PIPE,  # its progress and errors go straight to our stderr
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Airtest's matcher failed (exit {done.returncode}), see above")
    results = sorted(json.loads(done.stdout), key=lambda r: r["id"])
    return _score(cases, [r["centre"] for r in results], [r["seconds"] for r in results])


def _airtest_version() -> str:
    done = subprocess.run(
        [str(BENCH_PYTHON), "-c", "import importlib.metadata as m; print(m.version('airtest'))"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout.strip() or "?"


def _versus(ours: Outcome, theirs: Outcome) -> str:
    return (
        f"accuracy {ours.accuracy():.1%} vs {theirs.accuracy():.1%} "
        f"({(ours.accuracy() - theirs.accuracy()) * 100:+.1f} points), "
        f"false {ours.false} vs {theirs.false}, "
        f"speed {theirs.median_ms() / ours.median_ms():.1f}x"
    )


def _size_rows(shot: Shot, rng: np.random.Generator) -> list[tuple[str, str]]:
    """compare and locate on one unperturbed-scale screen (a little noise, like a capture)."""
    height, width = shot.image.shape[:2]
    size = f"{width}x{height}"
    noisy = np.clip(shot.image + rng.normal(0, 3, shot.image.shape), 0, 255).astype(np.uint8)
    templates = [Template.crop(shot.image, b, shot.density) for _, b in shot.elements]
    known, unknown = [], []
    for template in templates:
        known += timed(lambda t=template: locate(noisy, t, screen_density=shot.density), 3)
        unknown += timed(lambda t=template: locate(noisy, Template(t.image)), 3)
    return [
        (f"`compare` {size}", ms(timed(lambda: compare(noisy, shot.image), 30))),
        (f"`locate` {size}, densities known ({len(templates)} templates)", ms(known)),
        (f"`locate` {size}, unknown scale", ms(unknown)),
    ]


def _shots() -> list[Shot]:
    farm = BenchFarm()
    try:
        farm.up()
        inventory = load_inventory(farm.inventory)
        logs = Path(tempfile.mkdtemp(prefix="bench-vision-"))
        duts = {  # handles to take screenshots with (the bench's own farm: no one else)
            kind: open_dut(inventory, f"b-{kind}", log_dir=logs)
            for kind in ("watch", "tv", "headset", "phone")
        }
        return take_shots(duts)
    finally:
        farm.down()


def _shot(shots: list[Shot], name: str) -> Shot:
    return next(s for s in shots if s.name == name)


def _foreign() -> Outcome:
    """Screens unlike ours (seeds apart from the tests'), the same counts."""
    from tests.vision import foreign

    cases = foreign.positives(POSITIVES, seed=31) + foreign.negatives(NEGATIVES, seed=33)
    return _ours(cases, with_density=False)


def _hershey() -> Outcome:
    """Screens drawn with OpenCV alone (boxes, cv2.putText words, circles; a sub-pixel
    shift, brightness and contrast, grain, JPEG 60), seeds apart from the tests'."""
    from tests.vision import hershey

    cases = hershey.positives(HERSHEY[0], seed=51) + hershey.negatives(HERSHEY[1], seed=53)
    return _ours(cases, with_density=False, positives=HERSHEY[0])


def run() -> list[tuple[str, str]]:
    shots = _shots()
    cases = positives(shots, POSITIVES) + negatives(shots, NEGATIVES)
    rng = np.random.default_rng(5)
    rows = [
        r for name in ("watch/settings", "tv/settings") for r in _size_rows(_shot(shots, name), rng)
    ]
    print(f"  {len(cases)} cases; ours...", file=sys.stderr, flush=True)
    known, unknown = _ours(cases, with_density=True), _ours(cases, with_density=False)
    rows.append(("ours, template and screen densities known", known.describe()))
    rows.append(("ours, unknown scale", unknown.describe()))
    print("  foreign screens (tests/vision/foreign.py)...", file=sys.stderr, flush=True)
    rows.append(("ours, foreign screens with look-alikes, no density", _foreign().describe()))
    print("  OpenCV-drawn screens (tests/vision/hershey.py)...", file=sys.stderr, flush=True)
    rows.append(("ours, OpenCV-drawn screens with look-alikes, no density", _hershey().describe()))
    if not BENCH_PYTHON.exists():
        rows.append(("Airtest", f"not run: {BENCH_PYTHON} is missing (`make bench` makes it)"))
        return rows
    version = _airtest_version()
    with tempfile.TemporaryDirectory(prefix="bench-vision-cases-") as folder:
        _write_cases(cases, Path(folder))
        recorded = _airtest(cases, Path(folder), "recorded")
        plain = _airtest(cases, Path(folder), "plain")
    rows.append((f"Airtest {version}, record_pos + resolution", recorded.describe()))
    rows.append((f"Airtest {version}, image only", plain.describe()))
    rows.append(("ours (densities) vs Airtest (record_pos + resolution)", _versus(known, recorded)))
    rows.append(("ours (unknown scale) vs Airtest (image only)", _versus(unknown, plain)))
    return rows
