"""The TOS+ compatibility definition (the kit's data/certification/*.yaml): requirements with
their section, strength (MUST / SHOULD), device classes and text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from lab.errors import LabError
from lab.inventory.capabilities import DEVICE_CLASSES

ID = re.compile(r"^\d+(\.\d+)*/[CWTHP]-\d+-\d+$")


@dataclass(frozen=True)
class Requirement:
    id: str
    section: str
    strength: str  # MUST | SHOULD
    classes: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Definition:
    name: str
    version: str
    certified_classes: tuple[str, ...]
    requirements: tuple[Requirement, ...]

    def for_class(self, device_class: str) -> list[Requirement]:
        return [r for r in self.requirements if device_class in r.classes]

    def get(self, requirement_id: str) -> Requirement | None:
        return next((r for r in self.requirements if r.id == requirement_id), None)


def load_definition(path: Path) -> Definition:
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise LabError(f"{path}: cannot read the compatibility definition: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("requirements"), list):
        raise LabError(f"{path}: expected a mapping with a `requirements` list")
    found, seen = [], set()
    for n, entry in enumerate(data["requirements"]):
        where = f"{path}: requirements[{n}]"
        if not isinstance(entry, dict):
            raise LabError(f"{where}: expected a mapping")
        rid = str(entry.get("id", ""))
        if not ID.match(rid):
            raise LabError(f"{where}: id {rid!r} is not SECTION/CLASS-LEVEL-N (e.g. 5.1/W-0-1)")
        if rid in seen:
            raise LabError(f"{where}: id {rid} is listed twice")
        seen.add(rid)
        if entry.get("strength") not in ("MUST", "SHOULD"):
            raise LabError(f"{where} ({rid}): strength must be MUST or SHOULD")
        classes = tuple(entry.get("classes") or ())
        unknown = set(classes) - set(DEVICE_CLASSES)
        if not classes or unknown:
            raise LabError(f"{where} ({rid}): classes must be some of {list(DEVICE_CLASSES)}")
        found.append(Requirement(rid, str(entry.get("section", "")), entry["strength"],
                                 classes, str(entry.get("text", ""))))  # fmt: skip
    return Definition(str(data.get("name", path.stem)), str(data.get("version", "")),
                      tuple(data.get("certified_classes") or ()), tuple(found))  # fmt: skip
