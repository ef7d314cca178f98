"""Utterances as tests play them: the marks say where the wake phrase and the speech end
(within a frame of where the sound does), noise is only added when asked for."""

from __future__ import annotations

import numpy as np
import pytest

from lab.voice.speech import RATE, Voice
from lab.voice.utterance import LEAD_IN, TAIL, Utterance, render


def loud_span(samples: np.ndarray) -> tuple[float, float]:
    loud = np.flatnonzero(np.abs(samples.astype(int)) > 200)
    return loud[0] / RATE, (loud[-1] + 1) / RATE


def test_the_marks_are_where_the_sound_is():
    rendered = render(Utterance("open settings", Voice("en-us", 160)))
    start, end = loud_span(rendered.samples)
    assert start == pytest.approx(LEAD_IN, abs=0.01)
    assert end == pytest.approx(rendered.marks["speech_end"], abs=0.01)
    assert LEAD_IN < rendered.marks["wake_end"] < rendered.marks["speech_end"]
    assert rendered.seconds == pytest.approx(rendered.marks["speech_end"] + TAIL, abs=0.001)


def test_without_a_wake_phrase_there_is_no_wake_mark():
    rendered = render(Utterance("the weather is nice today", wake=""))
    assert "wake_end" not in rendered.marks


def test_noise_is_there_only_when_asked_for():
    quiet = render(Utterance("open settings"))
    noisy = render(Utterance("open settings", noise="white", snr_db=10, seed=3))
    assert not quiet.samples[: int(0.4 * RATE)].any(), "the lead-in of a quiet one is silent"
    assert noisy.samples[: int(0.4 * RATE)].std() > 100
    again = render(Utterance("open settings", noise="white", snr_db=10, seed=3))
    assert np.array_equal(noisy.samples, again.samples), "the same seed, the same noise"


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"command": "x", "noise": "rain"}, "noise 'rain'"),
     ({"command": "", "wake": ""}, "needs a wake phrase")],
)  # fmt: skip
def test_a_bad_utterance_says_what_is_wrong(fields, message):
    with pytest.raises(ValueError, match=message):
        Utterance(**fields)
