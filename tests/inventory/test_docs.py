"""The documented capability vocabulary is the one the loader enforces."""

from __future__ import annotations

import re
from pathlib import Path

from lab.inventory import CAPABILITIES

DOC = Path(__file__).resolve().parents[2] / "docs" / "INVENTORY.md"


def test_every_capability_is_documented_and_no_other():
    section = DOC.read_text().split("## Capability vocabulary", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", section, re.M))
    assert documented == set(CAPABILITIES)
