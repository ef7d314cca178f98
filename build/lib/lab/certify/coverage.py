"""Which requirements of the definition no test names. Tests name them with
`@pytest.mark.requirement("5.1/W-0-1", ...)` as literal strings, so they are read from the
test files' source (no device, no collection needed); an id a test names that the
definition does not have is an error too (a typo must not count as coverage)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from lab.certify.definition import load_definition
from lab.errors import LabError


@dataclass(frozen=True)
class Uncovered:
    id: str
    strength: str
    classes: tuple[str, ...]
    text: str
    certified: bool  # it applies to a class the definition certifies


def named_requirements(paths: list[str]) -> dict[str, list[str]]:
    """Requirement id -> the test files naming it."""
    found: dict[str, list[str]] = {}
    files = [f for p in paths for f in (sorted(Path(p).rglob("test_*.py")) if Path(p).is_dir()
                                        else [Path(p)])]  # fmt: skip
    for path in files:
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "requirement"):  # fmt: skip
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.setdefault(arg.value, []).append(str(path))
    return found


def uncovered(definition_path: Path, paths: list[str]) -> list[Uncovered]:
    definition = load_definition(definition_path)
    named = named_requirements(paths)
    unknown = sorted(set(named) - {r.id for r in definition.requirements})
    if unknown:
        where = "; ".join(f"{u} in {', '.join(named[u])}" for u in unknown)
        raise LabError(f"tests name requirements {definition_path} does not have: {where}")
    return [
        Uncovered(r.id, r.strength, r.classes, r.text,
                  bool(set(r.classes) & set(definition.certified_classes)))
        for r in definition.requirements if r.id not in named
    ]  # fmt: skip
