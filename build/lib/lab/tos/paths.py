"""Where a test is: `tos` and `tos/...` name the installed kit's suites (on the command
line, in plans and in results), any other path is the project's own; a scope (a folder,
a file, or a test) takes in a test by its file, whatever pytest's rootdir."""

from __future__ import annotations

from pathlib import Path

from lab.tos import KIT

SUITES = KIT / "suites"
PREFIX = "tos"


def resolve(path: str) -> str:
    """`tos` and `tos/...` (optionally `::test`) as the installed kit's paths; any other
    path as given."""
    name, sep, rest = path.partition("::")
    if name == PREFIX or name.startswith(PREFIX + "/"):
        inside = name.removeprefix(PREFIX).lstrip("/")
        return str(SUITES / inside if inside else SUITES) + sep + rest
    return path


def shorten(path: str | Path) -> str | None:
    """A path inside the kit's suites as `tos/...`; None for any other path."""
    try:
        inside = Path(path).resolve().relative_to(SUITES)
    except ValueError:
        return None
    return f"{PREFIX}/{inside}" if str(inside) != "." else PREFIX


def in_scope(path: str, nodeid: str, scope: str) -> bool:
    """Whether `scope` (a directory, a file, or a test, without or with its parameters;
    relative to the working directory, or `tos/...`) takes in the test `nodeid` whose file
    is `path` (absolute: pytest's node ids are relative to a rootdir that depends on the
    paths)."""
    node_file, node_rest = Path(path).resolve(), nodeid.partition("::")[2]
    file, _, scope_rest = resolve(scope).partition("::")
    scope_file = Path(file).resolve()
    if not scope_rest:
        return node_file == scope_file or scope_file in node_file.parents
    return node_file == scope_file and (
        node_rest == scope_rest or node_rest.startswith((scope_rest + "[", scope_rest + "::"))
    )
