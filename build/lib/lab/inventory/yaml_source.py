"""YAML loading that remembers where every value came from.

PyYAML's plain `safe_load` forgets line numbers and silently keeps the last of two equal
keys. The inventory needs both: errors must name `file:line:column`, and a repeated key is
almost always a paste mistake. So we compose the node tree once, build the data from it
and, from the same nodes, a map of paths to positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lab.errors import LabError

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceMap:
    """Positions of values and of mapping keys, by path (`("devices", 0, "id")`)."""

    values: dict[PathKey, Position] = field(default_factory=dict)
    keys: dict[PathKey, Position] = field(default_factory=dict)

    def find(self, path: PathKey, *, prefer_key: bool = False) -> Position | None:
        """Position of `path`, or of its nearest ancestor that has one."""
        for cut in range(len(path), -1, -1):
            sub = path[:cut]
            if prefer_key and cut == len(path) and sub in self.keys:
                return self.keys[sub]
            if sub in self.values:
                return self.values[sub]
        return None


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _map_node(node: yaml.Node, path: PathKey, source: SourceMap, file: Path) -> None:
    source.values[path] = _position(node)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, Position] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            here = _position(key_node)
            if key in seen:
                first = seen[key]
                raise LabError(
                    f"{file}:{here.line}:{here.column}: key {key!r} appears twice in the "
                    f"same mapping (first at line {first.line})",
                    hint="remove or rename one of them; YAML would silently keep only the last",
                )
            seen[key] = here
            source.keys[(*path, key)] = here
            _map_node(value_node, (*path, key), source, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_node(item, (*path, index), source, file)


def load_yaml(file: Path) -> tuple[Any, SourceMap]:
    """Parse one YAML document; return its data and the positions of its values."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LabError(
            f"{file}: no such file",
            hint="pass one with --inventory PATH, or make a project here with `lab init` "
            "(its device_inventory.yaml is the embedded virtual farm)",
        ) from None
    except IsADirectoryError:
        raise LabError(f"{file}: is a directory, expected a YAML file") from None
    except UnicodeDecodeError as exc:
        raise LabError(
            f"{file}: not UTF-8 text (byte {exc.start})", hint="save the inventory as UTF-8"
        ) from None
    except OSError as exc:
        raise LabError(f"{file}: cannot be read ({exc.strerror})") from None

    # libyaml (when the wheel has it) composes ~5x faster; marks are the same
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise LabError(
                f"{file}:1:1: the file is empty",
                hint="an inventory is a mapping with a `devices:` list; "
                "see device_inventory.yaml for an example",
            )
        source = SourceMap()
        _map_node(node, (), source, file)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else str(file)
        what = ": ".join(part for part in (exc.context, exc.problem) if part)
        raise LabError(
            f"{where}: not valid YAML: {what}",
            hint="check indentation and quoting around that line",
        ) from None
    except yaml.YAMLError as exc:
        raise LabError(f"{file}: not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return data, source
