"""The voice suite's parts: the utterances and thresholds (fixtures/voice/), the audio rig
beside the device, each device's plan for the chosen set (--voice-set short|full), and the
figures its turns add up to (per device, summed by test_zz_metrics.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.assistant.metrics import Figures, load_thresholds
from lab.assistant.sets import VoiceData, load
from lab.rig.audio import AudioRig
from suites.payment.conftest import pin, sandbox, shop, wallet  # noqa: F401 (fixtures)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "voice"
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


@pytest.fixture
def rig(dut):
    with AudioRig.beside(dut) as opened:
        yield opened
