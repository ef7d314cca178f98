"""The voice assistant's acoustic metrics over the full utterance set: the voice suite with
`--voice-set full` on the default farm's four devices at once (6 voices x 3 speeds x quiet
and white noise at 10 dB SNR x 2 commands = 72 turns a device, 288 in all, plus 7
impostor phrases and 15 minutes of speech without the wake phrase a device: an hour).
Figures pooled over the devices (one assistant build) and per class: the metrics against
their thresholds, recognition time per utterance on the device, response latency per
class, and a plot (docs/voice-metrics.png)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from lab.assistant.metrics import Figures, Stream, Trial, judge, load_thresholds, table
from lab.assistant.plot import plot
from lab.tos.data import VOICE

ROOT = Path(__file__).resolve().parents[1]
LAB = str(Path(sys.executable).with_name("lab"))
PLOT = ROOT / "docs" / "voice-metrics.png"
KEPT = ROOT / "bench" / "results" / "voice"  # each device's trials, for a later look


def _figures(folder: Path) -> list[tuple[str, Figures]]:
    found = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text())
        figures = Figures(data["device"], [Trial(**t) for t in data["trials"]],
                          Stream(**data["stream"]))  # fmt: skip
        found.append((data["class"], figures))
    return found


def _ms(values: list[float]) -> str:
    if not values:
        return "-"
    return f"median {np.median(values):.0f} ms, p95 {np.percentile(values, 95):.0f} ms"


def run() -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="bench-voice-") as tmp:
        done = subprocess.run(
            [LAB, "run", "tos/voice", "-n", "4", "--pytest-arg=--voice-set=full",
             "--pytest-arg=-kturn or impostors or metrics",
             "--pytest-arg", f"--lab-report-dir={tmp}"],
            cwd=ROOT, capture_output=True, text=True, timeout=3600,
        )  # fmt: skip
        per_device = _figures(Path(tmp) / "voice")
        KEPT.mkdir(parents=True, exist_ok=True)
        for path in (Path(tmp) / "voice").glob("*.json"):
            (KEPT / path.name).write_text(path.read_text())
    if not per_device:
        tail = (done.stdout + done.stderr)[-2000:]
        raise RuntimeError(f"the full voice set wrote no figures:\n{tail}")
    pooled = Figures("all devices")
    for _, one in per_device:
        pooled.trials += one.trials
        pooled.stream.seconds += one.stream.seconds
        pooled.stream.wakes += one.stream.wakes
    verdicts = judge(pooled, load_thresholds(VOICE / "thresholds.yaml"))
    print(table("all devices", verdicts))
    PLOT.write_bytes(plot([one for _, one in per_device] + [pooled]))
    rows = [("utterances (turns + impostors)", str(len(pooled.trials))),
            ("speech without the wake phrase", f"{pooled.stream.seconds / 3600:.2f} h, "
                                               f"{pooled.stream.wakes} wakes")]  # fmt: skip
    for v in verdicts:
        shown = "-" if v.value is None else f"{v.value:.3g}"
        rows.append((v.metric, f"{shown} (aim {v.aim}, {v.samples} samples): {v.status}"))
    recognition = [t.recognition_ms for t in pooled.trials if t.recognition_ms is not None]
    rows.append(("recognition time per utterance on the device", _ms(recognition)))
    for device_class, one in per_device:
        latencies = [t.latency * 1000 for t in one.trials if t.latency is not None]
        rows.append((f"response latency, {device_class} ({one.device})", _ms(latencies)))
    failed = [t for t in pooled.trials if t.kind == "command" and not t.correct]
    rows.append(("commands missed", "; ".join(f"{t.text!r} {t.voice} {t.condition}"
                                             for t in failed[:12]) or "none"))  # fmt: skip
    return rows
