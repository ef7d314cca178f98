"""Requirement coverage: every MUST requirement of a certified class is named by a test in
the kit's suites (this test fails otherwise, and so `make test`); uncovered ones are listed, and a
test naming an id the definition lacks is an error."""

from __future__ import annotations

import pytest

from lab.certify.coverage import uncovered
from lab.errors import LabError
from lab.tos import data
from lab.tos.paths import resolve

DEFINITION = data.DEFINITION
SUITES = resolve("tos")


def test_every_certified_must_requirement_has_a_test():
    missing = uncovered(DEFINITION, [SUITES])
    must = [f"{r.id}: {r.text}" for r in missing if r.strength == "MUST" and r.certified]
    assert not must, "MUST requirements no test names:\n" + "\n".join(must)


def test_uncovered_requirements_are_listed(tmp_path):
    definition = tmp_path / "cdd.yaml"
    definition.write_text(DEFINITION.read_text().replace(
        "requirements:\n", "requirements:\n  - {id: 9.9/W-0-1, section: '9.9', strength: MUST, "
        "classes: [watch], text: A new rule no test checks yet.}\n", 1))  # fmt: skip
    missing = uncovered(definition, [SUITES])
    assert [r.id for r in missing] == ["9.9/W-0-1"] and missing[0].certified


def test_a_requirement_the_definition_lacks_is_an_error(tmp_path):
    suite = tmp_path / "test_typo.py"
    suite.write_text('import pytest\n\n@pytest.mark.requirement("5.1/W-9-9")\ndef test_x():\n'
                     "    pass\n")  # fmt: skip
    with pytest.raises(LabError, match=r"5\.1/W-9-9 in .*test_typo\.py"):
        uncovered(DEFINITION, [str(suite)])
