"""The acoustic metrics from trials, judged against thresholds: a value on too few samples
is "too few", never a pass; a miss is FAIL; bad threshold files are refused by name."""

from __future__ import annotations

import pytest

from lab.assistant.metrics import Figures, Stream, Trial, judge, load_thresholds, table
from lab.assistant.plot import plot
from lab.errors import LabError
from lab.tos.data import VOICE

FIXTURE = VOICE / "thresholds.yaml"


def trial(kind="command", condition="quiet", woke=True, correct=True, delay=0.4, latency=0.6):
    return Trial(kind, condition, "en-us 160", "hi toss open settings", woke, correct, delay,
                 latency)  # fmt: skip


def test_rates_delays_and_false_accepts_per_day():
    figures = Figures(
        "watch-1",
        [trial()] * 18 + [trial(woke=False, correct=False, delay=None, latency=None)] * 2
        + [trial(condition="white 10 dB", woke=False, correct=False, delay=None)] * 5
        + [trial(condition="white 10 dB")] * 15
        + [trial(kind="impostor", woke=True, correct=None)]
        + [trial(kind="impostor", woke=False, correct=None)] * 3,
        Stream(seconds=7200, wakes=1),
    )  # fmt: skip
    values = figures.values()
    assert values["false_reject_rate_quiet"] == (2 / 20, 20)
    assert values["false_reject_rate_noise"] == (5 / 20, 20)
    assert values["response_accuracy_rate"] == (33 / 40, 40)
    assert values["impostor_accept_rate"] == (1 / 4, 4)
    assert values["false_accepts_per_24h"] == (12.0, 7200)
    assert values["wake_word_detection_delay_p95_s"][0] == pytest.approx(0.4)


def test_a_threshold_is_judged_only_on_enough_samples():
    thresholds = {t.metric: t for t in load_thresholds(FIXTURE)}
    assert thresholds["false_accepts_per_24h"].min_samples == 3600
    few = Figures("tv-1", [trial(woke=False, correct=False)] * 3)
    status = {v.metric: v.status for v in judge(few, list(thresholds.values()))}
    assert status["false_reject_rate_quiet"] == "too few"  # 100 % missed, but on 3
    assert status["false_accepts_per_24h"] == "no data"
    many = Figures("tv-1", [trial()] * 15 + [trial(woke=False, correct=False)] * 5,
                   Stream(3600, 0))  # fmt: skip
    verdicts = {v.metric: v for v in judge(many, list(thresholds.values()))}
    assert verdicts["false_reject_rate_quiet"].status == "FAIL"  # 25 % > 10 %
    assert verdicts["response_accuracy_rate"].status == "FAIL"  # 75 % < 95 %
    assert verdicts["false_accepts_per_24h"].status == "pass"
    shown = table("tv-1", list(verdicts.values()))
    assert "| false_reject_rate_quiet | 0.25 | 20 | <= 0.1 | FAIL |" in shown


def test_the_plot_is_a_png():
    assert plot([Figures("watch-1", [trial()] * 3)]).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("text", "message"),
    [("frr: {max: 0.1}", "unknown metric 'frr'"),
     ("false_reject_rate_quiet: {below: 0.1}", "expected min and/or max"),
     ("- a list", "expected a mapping"),
     ("false_reject_rate_quiet: {max: [", "cannot read")],
)  # fmt: skip
def test_a_bad_thresholds_file_is_refused_by_name(tmp_path, text, message):
    path = tmp_path / "thresholds.yaml"
    path.write_text(text)
    with pytest.raises(LabError, match=message) as refused:
        load_thresholds(path)
    assert str(path) in str(refused.value)
