"""The device's acoustic metrics from this session's turns (test_turns, test_impostors
run before this file: a device's tests share one worker, in file order), with a stream of
speech without the wake phrase for false accepts per 24 h: a table and a plot in the
report, the figures as JSON for `make bench`, and the thresholds judged where there are
enough samples (the kit's data/voice/thresholds.yaml)."""

from __future__ import annotations

import json
from dataclasses import asdict, replace

import allure
import numpy as np
import pytest

from lab.assistant.metrics import judge, table
from lab.assistant.plot import plot
from lab.voice.speech import RATE
from lab.voice.utterance import render

pytestmark = [
    pytest.mark.requires("voice", "microphone", "speaker"),
    pytest.mark.requirement("6.3/C-1-1"),
]
WAKE_LOG = "wake phrase heard"


def device_time(dut) -> str:
    """The device's clock as logcat's -T takes it."""
    return dut.shell(["date", "+%m-%d %H:%M:%S.000"], check=True).stdout.strip()


def wakes_since(dut, since: str) -> int:
    """Wake phrases the assistant logged since `since` (the tone a user hears, each)."""
    log = dut.shell(["logcat", "-d", "-T", since, "-s", "TosAssistant"], check=True).stdout
    return log.count(WAKE_LOG)


@allure.title("acoustic metrics")
def test_acoustic_metrics(
    dut, rig, voice_data, voice_set, voice_figures, thresholds, lab_report_dir, attach
):
    figures = voice_figures.get(dut.id)
    assert figures and figures.trials, (
        "no turns were played on this device in this session: run the whole voice suite"
    )
    plan = voice_data.plan(voice_set, dut.device_class)
    with allure.step(f"{plan.background_seconds:g} s of speech without the wake phrase, "
                     f"played {plan.background_pace:g}x"):  # fmt: skip
        audio = _background(plan)
        since = device_time(dut)
        rig.stream(audio, plan.background_pace)
        rig.stream(np.zeros(RATE, np.int16))  # a second of quiet ends the last utterance
        figures.stream.seconds += len(audio) / RATE
        figures.stream.wakes += wakes_since(dut, since)
    verdicts = judge(figures, thresholds)
    shown = table(dut.id, verdicts)
    attach.text("metrics", shown)
    attach.png(f"{dut.id}: metrics", plot([figures]))
    out = lab_report_dir / "voice" / f"{dut.id}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "device": dut.id, "class": dut.device_class, "set": voice_set,
        "trials": [asdict(t) for t in figures.trials], "stream": asdict(figures.stream),
        "verdicts": [asdict(v) for v in verdicts],
    }, indent=1))  # fmt: skip
    failed = [f"{v.metric} = {v.value:.3g} (aim {v.aim})" for v in verdicts if v.status == "FAIL"]
    assert not failed, f"{dut.id} misses: {'; '.join(failed)}\n{shown}"


def _background(plan) -> np.ndarray:
    """Background sentences in turn, in quiet and in noise, until the seconds asked for."""
    parts, total, n = [], 0, 0
    while total < plan.background_seconds * RATE:
        base = plan.background[n % len(plan.background)]
        noisy = n % 2 == 1
        utterance = replace(base, noise="white" if noisy else "none", snr_db=10, seed=n)
        samples = render(utterance).samples
        parts.append(samples)
        total += len(samples)
        n += 1
    return np.concatenate(parts)
