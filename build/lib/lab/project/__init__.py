"""A project of a user's own (`lab init`): the lab's embedded farm as an inventory to
start from, one example suite per device class, a goldens folder and a README of the next
commands, copied from template/ (the wheel carries it). Nothing is ever overwritten."""

from __future__ import annotations

import shutil
from pathlib import Path

from lab.errors import LabError

TEMPLATE = Path(__file__).resolve().parent / "template"
RENAMED = {"gitignore": ".gitignore"}  # dotfiles do not travel well as package data


def files() -> list[tuple[Path, Path]]:
    """(source in the template, its path in a project) for each file."""
    found = []
    for source in sorted(TEMPLATE.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            relative = source.relative_to(TEMPLATE)
            found.append((source, relative.with_name(RENAMED.get(relative.name, relative.name))))
    return found


def make_project(folder: Path) -> list[Path]:
    """Copy the template into `folder` (made when missing); the files made. Refused,
    with nothing written, when any of them exists already."""
    planned = [(source, folder / relative) for source, relative in files()]
    taken = [str(target) for _, target in planned if target.exists()]
    if taken:
        raise LabError(
            f"{folder}: would overwrite {', '.join(taken)}",
            hint="lab init never overwrites: give an empty or new folder",
        )
    for source, target in planned:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return [target for _, target in planned]
