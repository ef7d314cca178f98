"""Files: ls, cat, rm, mkdir, touch, cp, mv, md5sum, and toybox dispatching to them."""

from __future__ import annotations

import hashlib
import posixpath
import shutil
import stat as stat_module
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from lab.sim.sh.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem


def _path(system: AndroidSystem, proc: Proc, path: str):
    return system.fs.host_path(path, proc.cwd)


def ls(system: AndroidSystem, proc: Proc) -> int:
    flags = "".join(a[1:] for a in proc.args[1:] if a.startswith("-"))
    targets = _operands(proc) or [proc.cwd]
    status = 0
    for target in targets:
        host = _path(system, proc, target)
        if not host.exists():
            proc.err(f"ls: {target}: No such file or directory\n".encode())
            status = 1
            continue
        entries = (
            sorted(host.iterdir(), key=lambda p: p.name)
            if host.is_dir() and "d" not in flags
            else [host]
        )
        for entry in entries:
            name = entry.name if entry != host or host.is_dir() else target
            if "l" in flags:
                info = entry.stat()
                stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.st_mtime))
                proc.print(
                    f"{stat_module.filemode(info.st_mode)} 1 shell shell {info.st_size:>8} "
                    f"{stamp} {name}"
                )
            else:
                proc.print(name)
    return status


def cat(system: AndroidSystem, proc: Proc) -> int:
    if len(proc.args) == 1:
        proc.out(proc.read_stdin())
        return 0
    return _each(proc, proc.args[1:], lambda path, _: proc.out(system.fs.read(path)))


def _device_path(proc: Proc, target: str) -> str:
    return posixpath.normpath(posixpath.join(proc.cwd, target))


def _each(
    proc: Proc,
    targets: list[str],
    action: Callable[[str, str], object],
    ignore: tuple[type[OSError], ...] = (),
) -> int:
    """`action(device_path, target)` for every target; an OSError is reported as toybox
    does (`rm: x: No such file or directory`) and makes the exit status 1."""
    status = 0
    for target in targets:
        try:
            action(_device_path(proc, target), target)
        except ignore:
            pass
        except OSError as exc:
            proc.err(f"{proc.name}: {target}: {exc.strerror}\n".encode())
            status = 1
    return status


def _operands(proc: Proc) -> list[str]:
    return [a for a in proc.args[1:] if not a.startswith("-")]


def rm(system: AndroidSystem, proc: Proc) -> int:
    flags = "".join(a[1:] for a in proc.args[1:] if a.startswith("-"))
    return _each(
        proc,
        _operands(proc),
        lambda path, _: system.fs.remove(path, recursive="r" in flags),
        ignore=(FileNotFoundError,) if "f" in flags else (),
    )


def mkdir(system: AndroidSystem, proc: Proc) -> int:
    parents = "-p" in proc.args
    return _each(proc, _operands(proc), lambda path, _: system.fs.mkdir(path, parents=parents))


def touch(system: AndroidSystem, proc: Proc) -> int:
    for target in proc.args[1:]:
        host = _path(system, proc, target)
        if not host.parent.is_dir():
            return proc.fail(f"{target}: No such file or directory")
        host.touch()
    return 0


def cp_mv(system: AndroidSystem, proc: Proc) -> int:
    args = _operands(proc)
    if len(args) != 2:
        return proc.fail("usage: SOURCE DEST")
    source, dest = (_path(system, proc, a) for a in args)
    if not source.exists():
        return proc.fail(f"{args[0]}: No such file or directory")
    if dest.is_dir():
        dest = dest / source.name
    (shutil.move if proc.name == "mv" else shutil.copy)(source, dest)
    return 0


def md5sum(system: AndroidSystem, proc: Proc) -> int:
    def digest(path: str, target: str) -> None:
        proc.print(f"{hashlib.md5(system.fs.read(path)).hexdigest()}  {target}")

    return _each(proc, proc.args[1:], digest)


def toybox(system: AndroidSystem, proc: Proc) -> int:
    if len(proc.args) < 2:
        proc.print(" ".join(sorted(COMMANDS)))
        return 0
    runner = system.command(proc.args[1])
    if runner is None:
        return proc.fail(f"Unknown command {proc.args[1]}")
    proc.args = proc.args[1:]
    return runner(proc)


COMMANDS = {
    "ls": ls,
    "cat": cat,
    "rm": rm,
    "mkdir": mkdir,
    "touch": touch,
    "cp": cp_mv,
    "mv": cp_mv,
    "md5sum": md5sum,
    "toybox": toybox,
}
