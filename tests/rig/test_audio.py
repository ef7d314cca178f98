"""The audio rig against a virtual watch of the test farm: an utterance goes into its
microphone in real time, its speaker is recorded on the same clock (the listening tone
within a second of the wake phrase, the spoken answer after the speech); one host at a
time; a device without a microphone stream says so."""

from __future__ import annotations

import pytest

from lab import rig
from lab.assistant.turn import ask
from lab.rig.audio import AudioUnsupported
from lab.voice.utterance import Utterance


def test_a_turn_is_heard_timed_and_answered(make_dut):
    dut = make_dut("t-watch")
    with rig.open(dut, "audio") as audio:
        turn = ask(dut, audio, Utterance("open settings"))
    assert turn.heard == "open settings" and turn.answer == "Opening settings"
    assert 0.0 < turn.wake_delay < 1.0, turn.wake_delay
    assert 0.0 < turn.latency < 2.0, turn.latency
    assert turn.spoken(["opening settings", "opening the store", "paused"]) == "opening settings"
    # the answer is where the turn says it is: quiet before it, after the tone
    start = int(turn.answer_at * 16000)
    tone_end = int((turn.tone_at + 0.2) * 16000)
    assert turn.exchange.heard[tone_end : start - 800].std() < 50
    assert turn.exchange.heard[start : start + 8000].std() > 300


def test_one_host_at_a_time(make_dut):
    dut = make_dut("t-watch")
    with rig.open(dut, "audio"), pytest.raises(AudioUnsupported, match="busy"):
        rig.open(dut, "audio")
    with rig.open(dut, "audio"):  # the first one closed: the stream is free again
        pass


def test_a_device_without_a_microphone_says_so(make_dut):
    with pytest.raises(AudioUnsupported, match="t-tv: its audio stream"):
        rig.open(make_dut("t-tv"), "audio")


def test_a_partial_phrase_is_never_acted_on(make_dut):
    """'Hi TOS, pay twenty' (no 'yuan'): the whole utterance is not a sentence of the
    grammar, so nothing is paid and no card is shown."""
    dut = make_dut("t-watch")
    with rig.open(dut, "audio") as audio:
        turn = ask(dut, audio, Utterance("pay twenty"), listen=2.5)
    assert turn.answer_at is None and turn.heard == ""
    log = dut.shell(["logcat", "-d", "-t", "3", "-s", "TosAssistant"]).stdout
    assert "false start, not listening" in log.splitlines()[-1], log
    assert "heard 'pay" not in log


def test_an_impostor_wakes_nothing(make_dut):
    dut = make_dut("t-watch")
    with rig.open(dut, "audio") as audio:
        turn = ask(dut, audio, Utterance("his toast is cold", wake=""), listen=1.5)
    assert not turn.woke
