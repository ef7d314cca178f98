"""Files: ls, cat, rm, mkdir, touch, cp, mv, md5sum, and toybox dispatching to them."""

from __future__ import annotations

import hashlib
import posixpath
import shutil
import stat as stat_module
import time
from typing import TYPE_CHECKING

from lab.sim.sh.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem


def _path(system: AndroidSystem, proc: Proc, path: str):
    return system.fs.host_path(path, proc.cwd)


def ls(system: AndroidSystem, proc: Proc) -> int:
    flags = "".join(a[1:] for a in proc.args[1:] if a.startswith("-"))
    targets = [a for a in proc.args[1:] if not a.startswith("-")] or [proc.cwd]
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
    status = 0
    for target in proc.args[1:]:
        try:
            proc.out(system.fs.read(str(_device_path(proc, target))))
        except OSError as exc:
            proc.err(f"cat: {target}: {exc.strerror}\n".encode())
            status = 1
    return status


def _device_path(proc: Proc, target: str) -> str:
    return posixpath.normpath(posixpath.join(proc.cwd, target))


def rm(system: AndroidSystem, proc: Proc) -> int:
    flags = "".join(a[1:] for a in proc.args[1:] if a.startswith("-"))
    status = 0
    for target in (a for a in proc.args[1:] if not a.startswith("-")):
        try:
            system.fs.remove(_device_path(proc, target), recursive="r" in flags)
        except FileNotFoundError:
            if "f" not in flags:
                proc.err(f"rm: {target}: No such file or directory\n".encode())
                status = 1
        except IsADirectoryError:
            proc.err(f"rm: {target}: Is a directory\n".encode())
            status = 1
    return status


def mkdir(system: AndroidSystem, proc: Proc) -> int:
    parents = "-p" in proc.args
    status = 0
    for target in (a for a in proc.args[1:] if not a.startswith("-")):
        try:
            system.fs.mkdir(_device_path(proc, target), parents=parents)
        except FileExistsError:
            proc.err(f"mkdir: {target}: File exists\n".encode())
            status = 1
        except FileNotFoundError:
            proc.err(f"mkdir: {target}: No such file or directory\n".encode())
            status = 1
    return status


def touch(system: AndroidSystem, proc: Proc) -> int:
    for target in proc.args[1:]:
        host = _path(system, proc, target)
        if not host.parent.is_dir():
            return proc.fail(f"{target}: No such file or directory")
        host.touch()
    return 0


def cp_mv(system: AndroidSystem, proc: Proc) -> int:
    args = [a for a in proc.args[1:] if not a.startswith("-")]
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
    status = 0
    for target in proc.args[1:]:
        try:
            digest = hashlib.md5(system.fs.read(_device_path(proc, target))).hexdigest()
        except OSError as exc:
            proc.err(f"md5sum: {target}: {exc.strerror}\n".encode())
            status = 1
            continue
        proc.print(f"{digest}  {target}")
    return status


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
