"""Load an inventory file into the schema, turning every mistake into a located message."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from lab.errors import LabError
from lab.inventory.checks import cross_checks
from lab.inventory.schema import Inventory
from lab.inventory.suggest import did_you_mean
from lab.inventory.yaml_source import PathKey, SourceMap, load_yaml

DEFAULT_INVENTORY = Path("device_inventory.yaml")


class InventoryError(LabError):
    """One or more problems in an inventory file; `problems` holds one line each."""

    def __init__(self, problems: list[str]) -> None:
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"inventory has {len(problems)} {noun}:\n" + "\n".join(problems))
        self.problems = problems


def load_inventory(path: str | Path = DEFAULT_INVENTORY) -> Inventory:
    file = Path(path)
    data, source = load_yaml(file)
    if not isinstance(data, dict):
        raise InventoryError(
            [
                f"{file}:1:1: expected a mapping with `devices:` at the top, found "
                f"{_kind(data)}  (hint: see device_inventory.yaml for the layout)"
            ]
        )
    try:
        inventory = Inventory.model_validate(data)
    except ValidationError as exc:
        raise InventoryError([_describe(err, file, source, data) for err in exc.errors()]) from None
    problems = [
        _line(file, source, path_, message, hint, data)
        for path_, message, hint in cross_checks(inventory)
    ]
    if problems:
        raise InventoryError(problems)
    inventory._path = str(file)
    return inventory


def _describe(err: Any, file: Path, source: SourceMap, data: Any) -> str:
    loc: PathKey = tuple(err["loc"])
    kind = err["type"]
    found = err.get("input")
    if kind == "extra_forbidden":
        allowed = _fields_at(loc[:-1])
        key = str(loc[-1])
        message = f"unknown key {key!r}{did_you_mean(key, allowed)}"
        hint = f"allowed here: {', '.join(allowed)}" if allowed else None
        return _line(file, source, loc, message, hint, data, prefer_key=True)
    if kind == "missing":
        return _line(file, source, loc, "required key is missing", None, data)
    message = err["msg"].removeprefix("Value error, ").replace("Input should be ", "expected ")
    if "found" not in message and repr(found) not in message:
        message += f"; found {_show(found)}"
    return _line(file, source, loc, message, None, data)


def _line(
    file: Path,
    source: SourceMap,
    loc: PathKey,
    message: str,
    hint: str | None,
    data: Any,
    *,
    prefer_key: bool = False,
) -> str:
    pos = source.find(loc, prefer_key=prefer_key)
    where = f"{file}:{pos.line}:{pos.column}" if pos else str(file)
    field = _dotted(loc) or "(top level)"
    owner = _device_name(loc, data)
    text = f"{where}: {field}{owner}: {message}"
    return f"{text}  (hint: {hint})" if hint else text


def _dotted(loc: PathKey) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _device_name(loc: PathKey, data: Any) -> str:
    if len(loc) >= 2 and loc[0] == "devices" and isinstance(loc[1], int):
        try:
            device_id = data["devices"][loc[1]]["id"]
        except (KeyError, IndexError, TypeError):
            return ""
        return f" (device {device_id!r})" if isinstance(device_id, str) else ""
    return ""


def _fields_at(loc: PathKey) -> list[str]:
    """Names the schema accepts in the mapping at `loc` (for 'allowed here' hints)."""
    model: Any = Inventory
    for part in loc:
        if isinstance(part, int):
            continue
        field = _by_key(model, part)
        model = _model_in(field.annotation) if field else None
        if model is None:
            return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _by_key(model: type[BaseModel], key: str) -> Any:
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return field
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{type(value).__name__} {value!r}"


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return _kind(value)
    return f"{value!r} ({type(value).__name__})"
