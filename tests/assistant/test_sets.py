"""The utterance sets as data: every class gets as many turns (a test slot each), the full
set covers >= 5 voices x 3 speeds x quiet and noise, and mistakes name their place."""

from __future__ import annotations

import pytest

from lab.assistant.sets import load
from lab.errors import LabError
from lab.tos.data import VOICE

FIXTURE = VOICE / "utterances.yaml"
CLASSES = ("watch", "tv", "headset", "phone")


def test_every_class_has_as_many_turns_and_only_its_commands():
    data = load(FIXTURE)
    for name in data.sets:
        counts = {len(data.plan(name, c).turns) for c in CLASSES}
        assert len(counts) == 1, f"set {name}: turns per class differ: {counts}"
    for device_class in CLASSES:
        for command, _ in data.plan("full", device_class).turns:
            assert device_class in command.classes


def test_the_full_set_is_big_enough_for_the_metrics():
    plan = load(FIXTURE).plan("full", "watch")
    voices = {u.voice.name for _, u in plan.turns}
    speeds = {u.voice.speed for _, u in plan.turns}
    conditions = {u.noise for _, u in plan.turns}
    assert len(voices) >= 5 and len(speeds) >= 3 and conditions == {"none", "white"}
    assert 4 * len(plan.turns) >= 200  # over the default farm's four devices
    assert 4 * plan.background_seconds >= 3600


def test_a_command_card_is_exact_or_a_pattern():
    data = load(FIXTURE)
    time = next(c for c in data.commands if c.say == "what time is it")
    assert time.card_matches("It is 3:07 PM") and not time.card_matches("It is late")
    settings = next(c for c in data.commands if c.say == "open settings")
    assert settings.card_matches("Opening settings") and not settings.card_matches("Opening")


@pytest.mark.parametrize(
    ("text", "message"),
    [("commands: []", "missing 'impostors'"),
     ("commands: [{say: x, card: a, card_pattern: b}]\nimpostors: []\nbackground: []\n"
      "sets: {}", r"commands\[0\] \('x'\): give `card` or `card_pattern`"),
     ("commands: [{say: x, card_pattern: '('}]\nimpostors: []\nbackground: []\nsets: {}",
      r"commands\[0\]: card_pattern"),
     ("commands: []\nimpostors: []\nbackground: []\nsets: {short: {voices: []}}",
      "sets.short: missing 'noise'")],
)  # fmt: skip
def test_mistakes_name_their_place(tmp_path, text, message):
    path = tmp_path / "utterances.yaml"
    path.write_text(text)
    with pytest.raises(LabError, match=message):
        load(path)


def test_an_unknown_set_is_refused():
    with pytest.raises(LabError, match="no voice set 'huge'"):
        load(FIXTURE).plan("huge", "watch")
