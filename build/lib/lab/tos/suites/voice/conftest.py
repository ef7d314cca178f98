"""The voice suite's parts: the utterances and thresholds (the kit's data/voice/), each
device's plan for the chosen set (--voice-set short|full), and the figures its turns add
up to (per device, summed by test_zz_metrics.py). The audio rig beside the device is the
plugin's `rig` fixture."""

from __future__ import annotations

import pytest

from lab.assistant.metrics import Figures, load_thresholds
from lab.assistant.sets import VoiceData, load
from lab.tos import data

FIXTURES = data.VOICE
DATA = load(FIXTURES / "utterances.yaml")
# each test of a set is one slot of a device's plan; every class has as many
SLOTS = {name: len(DATA.plan(name, "watch").turns) for name in DATA.sets}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "slot" in metafunc.fixturenames:
        count = SLOTS[metafunc.config.getoption("--voice-set")]
        metafunc.parametrize("slot", range(count), ids=[f"turn{n + 1}" for n in range(count)])


@pytest.fixture(scope="session")
def voice_data() -> VoiceData:
    return DATA


@pytest.fixture(scope="session")
def voice_set(pytestconfig) -> str:
    return pytestconfig.getoption("--voice-set")


@pytest.fixture(scope="session")
def thresholds():
    return load_thresholds(FIXTURES / "thresholds.yaml")


@pytest.fixture(scope="session")
def voice_figures() -> dict[str, Figures]:
    """Per device, the trials of this session (a device's tests share one worker)."""
    return {}
