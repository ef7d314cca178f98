"""The kit's data: the compatibility definition and plans, goldens, the voice suite's
utterances and thresholds, and the test payment data (a PIN, a test card number, a
balance), read as the suites need them."""

from __future__ import annotations

from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DEFINITION = HERE / "certification" / "tos-cdd.yaml"
PLANS = HERE / "plans"
GOLDENS = HERE / "goldens"
VOICE = HERE / "voice"


def payment() -> dict:
    """The test wallet's PIN, card number, balance and PIN limit (fixtures register the
    PIN and the card number as secrets before a test can print them)."""
    return yaml.safe_load((HERE / "payment" / "test_data.yaml").read_text())
