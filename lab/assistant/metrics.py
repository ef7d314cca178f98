"""The acoustic metrics of a voice assistant, named as in Alexa's acoustic testing guide,
computed from turns and judged against thresholds kept as data
(the kit's data/voice/thresholds.yaml):

- FRR: false reject rate of the wake phrase (no listening tone), in quiet and in noise;
- false accepts: on impostor phrases (a rate), and per 24 h of speech and noise without
  the wake phrase (from a long stream);
- RAR: response accuracy rate, the share of commands answered with the right action;
- WWDD: wake-word detection delay, end of the wake phrase to the listening tone;
- response latency: end of the speech to the start of the spoken answer.

A threshold is judged only on enough samples (its `min_samples`, or `min_hours` of
stream): on fewer, the table says "too few" rather than pass or fail."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from lab.errors import LabError


@dataclass(frozen=True)
class Trial:
    kind: str  # command | wake | impostor
    condition: str  # quiet | babble 10 dB | ...
    voice: str
    text: str
    woke: bool
    correct: bool | None = None  # commands: the right action and answer
    wake_delay: float | None = None
    latency: float | None = None
    recognition_ms: float | None = None  # the device's final decoding, as it logs it


@dataclass
class Stream:
    """Speech and noise without the wake phrase, and the wakes it caused."""

    seconds: float = 0.0
    wakes: int = 0


@dataclass
class Figures:
    device: str
    trials: list[Trial] = field(default_factory=list)
    stream: Stream = field(default_factory=Stream)

    def _woken(self, quiet: bool) -> list[bool]:
        return [
            t.woke
            for t in self.trials
            if t.kind in ("command", "wake") and (t.condition == "quiet") == quiet
        ]

    def values(self) -> dict[str, tuple[float | None, int]]:
        """Each metric's value and how many samples it rests on."""
        quiet, noisy = self._woken(True), self._woken(False)
        commands = [t.correct for t in self.trials if t.kind == "command"]
        impostors = [t.woke for t in self.trials if t.kind == "impostor"]
        delays = [t.wake_delay for t in self.trials if t.wake_delay is not None]
        latencies = [t.latency for t in self.trials if t.latency is not None]
        hours = self.stream.seconds / 3600
        return {
            "false_reject_rate_quiet": (_share(quiet, False), len(quiet)),
            "false_reject_rate_noise": (_share(noisy, False), len(noisy)),
            "response_accuracy_rate": (_share(commands, True), len(commands)),
            "impostor_accept_rate": (_share(impostors, True), len(impostors)),
            "false_accepts_per_24h": (
                self.stream.wakes / hours * 24 if hours else None,
                round(hours * 3600),
            ),
            "wake_word_detection_delay_p95_s": (_p95(delays), len(delays)),
            "wake_word_detection_delay_median_s": (_median(delays), len(delays)),
            "response_latency_p95_s": (_p95(latencies), len(latencies)),
            "response_latency_median_s": (_median(latencies), len(latencies)),
        }


def _share(flags: list, wanted: object) -> float | None:
    return sum(1 for f in flags if f == wanted) / len(flags) if flags else None


def _p95(values: list[float]) -> float | None:
    return float(np.percentile(values, 95)) if values else None


def _median(values: list[float]) -> float | None:
    return float(np.median(values)) if values else None


@dataclass(frozen=True)
class Threshold:
    metric: str
    low: float | None  # the value must be at least this
    high: float | None  # at most this
    min_samples: int  # judged only on this many (seconds of stream for per-24h metrics)
    why: str


def load_thresholds(path: Path) -> list[Threshold]:
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise LabError(f"{path}: cannot read the voice thresholds: {exc}") from None
    if not isinstance(data, dict):
        raise LabError(f"{path}: expected a mapping of metric names to thresholds")
    known = set(Figures("").values())
    found = []
    for metric, spec in data.items():
        if metric not in known:
            raise LabError(f"{path}: unknown metric {metric!r}", hint=f"one of {sorted(known)}")
        if not isinstance(spec, dict) or not ({"min", "max"} & set(spec)):
            raise LabError(f"{path}: {metric}: expected min and/or max")
        samples = spec.get("min_samples", 1)
        if "min_hours" in spec:
            samples = int(float(spec["min_hours"]) * 3600)
        found.append(
            Threshold(metric, spec.get("min"), spec.get("max"), int(samples), spec.get("why", ""))
        )
    return found


@dataclass(frozen=True)
class Verdict:
    metric: str
    value: float | None
    samples: int
    aim: str
    status: str  # pass | FAIL | too few | no data


def judge(figures: Figures, thresholds: list[Threshold]) -> list[Verdict]:
    values = figures.values()
    verdicts = []
    for t in thresholds:
        value, samples = values[t.metric]
        aim = " and ".join(
            part
            for part in (
                f">= {t.low:g}" if t.low is not None else "",
                f"<= {t.high:g}" if t.high is not None else "",
            )
            if part
        )
        if value is None:
            status = "no data"
        elif samples < t.min_samples:
            status = "too few"
        elif (t.low is not None and value < t.low) or (t.high is not None and value > t.high):
            status = "FAIL"
        else:
            status = "pass"
        verdicts.append(Verdict(t.metric, value, samples, aim, status))
    return verdicts


def table(device: str, verdicts: list[Verdict]) -> str:
    """A Markdown table: metric, value, samples, aim, status."""
    lines = [
        f"### {device}",
        "",
        "| metric | value | samples | aim | status |",
        "|---|---|---|---|---|",
    ]
    for v in verdicts:
        shown = "-" if v.value is None else f"{v.value:.3g}"
        lines.append(f"| {v.metric} | {shown} | {v.samples} | {v.aim} | {v.status} |")
    return "\n".join(lines) + "\n"
