"""Packages: pm (and `cmd package`, what `adb install` sends with the cmd feature); the
installs themselves are lab.sim.android.installer's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lab.sim.android.installer import MAX_APK
from lab.sim.userland.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem


def pm(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    verb = args[0] if args else ""
    rest = args[1:]
    if verb == "list" and rest[:1] == ["packages"]:
        return _list(system, proc, rest[1:])
    if verb == "list" and rest[:1] == ["features"]:
        for name in sorted(system.features):
            proc.print(f"feature:{name}")
        return 0
    if verb == "path" and rest:
        package = system.packages.get(rest[-1])
        if package is None:
            return 1
        proc.print(f"package:{package.path}")
        return 0
    if verb == "install":
        paths = [a for a in rest if not a.startswith("-") and not a.isdigit()]
        if not paths:
            return proc.fail("usage: pm install [-r] [-t] [-g] PATH")
        try:
            with proc.open(paths[-1]) as handle:
                data = handle.read(MAX_APK + 1)
        except OSError as exc:
            proc.err(f"Error: Unable to open file: {paths[-1]} ({exc.strerror})\n".encode())
            proc.err(b"Consider using a file under /data/local/tmp/\n")
            proc.print("Error: Can't open file")
            return 1
        # since Android 7 `pm install` replaces an installed package with or without -r
        return _install(system, proc, data)
    if verb == "uninstall" and rest:
        if not system.installer.uninstall(rest[-1]):
            proc.print("Failure [DELETE_FAILED_INTERNAL_ERROR]")
            return 1
        proc.print("Success")
        return 0
    if verb == "clear" and rest:
        if system.packages.get(rest[-1]) is None:
            proc.print("Failed")
            return 1
        system.windows.force_stop(rest[-1])
        proc.print("Success")
        return 0
    if verb in ("grant", "revoke", "enable", "disable", "disable-user") and rest:
        if system.packages.get(rest[0].split("/")[0]) is None:
            proc.err(f"Exception occurred: Unknown package: {rest[0]}\n".encode())
            return 255
        if verb in ("enable", "disable", "disable-user"):
            state = "enabled" if verb == "enable" else "disabled-user"
            proc.print(f"Package {rest[0]} new state: {state}")
        return 0
    return proc.fail(
        "usage: pm list packages|features, pm path|install|uninstall|clear|grant|revoke ..."
    )


def _list(system: AndroidSystem, proc: Proc, args: list[str]) -> int:
    flags = {a for a in args if a.startswith("-")}
    skip_next = {"--user", "--uid"}
    needles = [
        a
        for i, a in enumerate(args)
        if not a.startswith("-") and (i == 0 or args[i - 1] not in skip_next)
    ]
    needle = needles[0] if needles else ""
    for package in system.packages.all():
        if ("-3" in flags and package.system) or ("-s" in flags and not package.system):
            continue
        if "-d" in flags:  # nothing is disabled here
            continue
        if needle not in package.name:
            continue
        line = "package:"
        if "-f" in flags:
            line += f"{package.path}="
        line += package.name
        if "-U" in flags:
            line += f" uid:{package.uid}"
        if "-i" in flags:
            line += f"  installer={'null' if package.system else 'com.android.shell'}"
        proc.print(line)
    return 0


def _install(system: AndroidSystem, proc: Proc, data: bytes) -> int:
    failure = system.installer.install(data)
    if failure:
        return _failure(proc, failure)
    proc.print("Success")
    return 0


def _failure(proc: Proc, failure: str) -> int:
    proc.print(f"Failure [{failure}]")
    return 1


def install_streamed(system: AndroidSystem, proc: Proc, size: int) -> int:
    """`cmd package install -S SIZE`: the APK arrives on stdin."""
    if size > MAX_APK:
        return _failure(
            proc, f"INSTALL_FAILED_INSUFFICIENT_STORAGE: larger than {MAX_APK >> 20} MiB"
        )
    data = proc.read_stdin(limit=size)
    if len(data) != size:
        proc.print(f"Failure [INSTALL_FAILED_INVALID_APK: read {len(data)} of {size} bytes]")
        return 1
    return _install(system, proc, data)


def pm_or_streamed(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    if args[:1] == ["install"] and "-S" in args:
        index = args.index("-S")
        try:
            size = int(args[index + 1].strip("'"))
        except (IndexError, ValueError):
            return proc.fail("-S needs a size in bytes")
        return install_streamed(system, proc, size)
    return pm(system, proc)


COMMANDS = {"pm": pm_or_streamed}
