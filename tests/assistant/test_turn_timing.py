"""Timing a turn from the speaker's recording: the short listening tone after the wake
phrase, the answer after the speech (its words joined across short gaps)."""

from __future__ import annotations

import numpy as np

from lab.assistant.turn import _timing
from lab.rig.audio import _answered
from lab.rig.exchange import Exchange
from lab.voice.speech import RATE
from lab.voice.utterance import Rendered


def speaker(*spans: tuple[float, float], seconds: float = 6.0) -> np.ndarray:
    heard = np.zeros(int(seconds * RATE), np.int16)
    for start, end in spans:
        t = np.arange(int((end - start) * RATE)) / RATE
        heard[int(start * RATE) : int(start * RATE) + len(t)] = np.sin(2 * np.pi * 440 * t) * 8000
    return heard


def timing(heard: np.ndarray, marks: dict) -> tuple:
    rendered = Rendered(np.zeros(len(heard), np.int16), marks)
    return _timing(Exchange(rendered.samples, heard, marks), rendered)


def test_tone_then_an_answer_of_several_words():
    marks = {"wake_end": 1.2, "speech_end": 2.5}
    heard = speaker((1.6, 1.75), (2.9, 3.3), (3.5, 4.0))  # tone; two words 0.2 s apart
    tone, answer, end = timing(heard, marks)
    assert abs(tone - 1.6) < 0.03 and abs(answer - 2.9) < 0.03 and abs(end - 4.0) < 0.03


def test_no_tone_no_answer():
    assert timing(speaker(), {"wake_end": 1.2, "speech_end": 2.5}) == (None, None, None)


def test_an_answer_alone_is_not_taken_for_a_tone():
    tone, answer, _ = timing(speaker((2.9, 3.8)), {"wake_end": 1.2, "speech_end": 2.5})
    assert tone is None and abs(answer - 2.9) < 0.03


def test_the_rig_waits_past_a_tone_for_the_answer():
    assert not _answered(speaker((1.6, 1.75), seconds=3.0), 1.5), "a tone is not an answer"
    assert _answered(speaker((1.6, 1.75), (2.9, 3.5), seconds=4.2), 1.5)
    assert not _answered(speaker((2.9, 3.5), seconds=3.8), 1.5), "too soon after it"
