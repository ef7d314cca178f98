"""A certification plan (the kit's: lab/tos/data/plans/*.yaml): the modules (suites or
files) that run for its device classes, exclusions with their reasons, and known
failures, each scoped to a module or a test with a bug id, a reason and an expiry date.
Its hash is what a result is bound to: a plan edited during a run cannot give a PASS."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from lab.errors import LabError
from lab.tos import data
from lab.tos.paths import in_scope


def owner(modules: tuple[str, ...], path: str, nodeid: str) -> str:
    """The plan module a test belongs to ("" when none)."""
    return next((m for m in modules if in_scope(path, nodeid, m)), "")


@dataclass(frozen=True)
class Exclusion:
    scope: str  # a module path or a node id
    reason: str


@dataclass(frozen=True)
class KnownFailure:
    scope: str
    bug: str
    reason: str
    expires: dt.date

    def covers(self, path: str, nodeid: str) -> bool:
        return in_scope(path, nodeid, self.scope)

    def active(self, today: dt.date) -> bool:
        return today <= self.expires


@dataclass(frozen=True)
class Plan:
    name: str
    path: Path
    definition: Path
    classes: tuple[str, ...]
    modules: tuple[str, ...]
    exclude: tuple[Exclusion, ...]
    known_failures: tuple[KnownFailure, ...]
    digest: str

    def waiver(self, path: str, nodeid: str, today: dt.date) -> KnownFailure | None:
        """The known failure that waives `nodeid` today (an expired one does not)."""
        found = (k for k in self.known_failures if k.covers(path, nodeid) and k.active(today))
        return next(found, None)


def find_plan(name: str) -> Path:
    """A plan file by its path, or one of the kit's by its name (`tos-watch`)."""
    given = Path(name)
    if given.is_file():
        return given
    kit = data.PLANS / f"{name}.yaml"
    if "/" not in name and kit.is_file():
        return kit
    known = ", ".join(sorted(p.stem for p in data.PLANS.glob("*.yaml")))
    raise LabError(f"no plan {name}: neither a file nor one of the kit's ({known})",
                   hint="`lab certify plans` lists the kit's")  # fmt: skip


def plan_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_plan(path: Path) -> Plan:
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise LabError(f"{path}: cannot read the plan: {exc}",
                       hint="the kit's plans: lab certify plans") from None  # fmt: skip
    if not isinstance(data, dict):
        raise LabError(f"{path}: expected a mapping (name, classes, modules, ...)")
    for key in ("name", "classes", "modules", "definition"):
        if not data.get(key):
            raise LabError(f"{path}: missing {key!r}")
    exclude = []
    for n, entry in enumerate(data.get("exclude") or []):
        scope = entry.get("test") or entry.get("module") if isinstance(entry, dict) else None
        if not scope or not entry.get("reason"):
            raise LabError(f"{path}: exclude[{n}]: give `test` or `module`, and a `reason`")
        exclude.append(Exclusion(str(scope), str(entry["reason"])))
    known = []
    for n, entry in enumerate(data.get("known_failures") or []):
        where = f"{path}: known_failures[{n}]"
        scope = entry.get("test") or entry.get("module") if isinstance(entry, dict) else None
        if not scope:
            raise LabError(f"{where}: give `test` or `module`")
        for key in ("bug", "reason", "expires"):
            if not entry.get(key):
                raise LabError(f"{where}: missing {key!r} (a waiver needs a bug, a reason and "
                               "an expiry date)")  # fmt: skip
        expires = entry["expires"]
        if not isinstance(expires, dt.date):
            try:
                expires = dt.date.fromisoformat(str(expires))
            except ValueError:
                raise LabError(f"{where}: expires {expires!r} is not a date (YYYY-MM-DD)") from None
        known.append(KnownFailure(str(scope), str(entry["bug"]), str(entry["reason"]), expires))
    named = str(data["definition"])  # beside the plans' folder, or a path from the cwd
    definition = Path(named) if "/" in named else path.parent.parent / "certification" / named
    return Plan(str(data["name"]), path, definition, tuple(data["classes"]),
                tuple(data["modules"]), tuple(exclude), tuple(known),
                hashlib.sha256(raw).hexdigest())  # fmt: skip
