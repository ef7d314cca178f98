"""Packages: pm and `cmd package` (what `adb install` sends with the cmd feature)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lab.sim.android.apk import ApkError, read_apk
from lab.sim.sh.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem


def pm(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    verb = args[0] if args else ""
    rest = args[1:]
    if verb == "list" and rest[:1] == ["packages"]:
        return _list(system, proc, rest[1:])
    if verb == "path" and rest:
        package = system.packages.get(rest[-1])
        if package is None:
            return 1
        proc.print(f"package:{package.path}")
        return 0
    if verb == "install":
        paths = [a for a in rest if not a.startswith("-")]
        if not paths:
            return proc.fail("usage: pm install [-r] [-t] PATH")
        try:
            data = system.fs.read(paths[-1])
        except OSError:
            proc.print(f"Failure [INSTALL_FAILED_INVALID_URI: {paths[-1]}]")
            return 1
        # since Android 7 `pm install` replaces an installed package with or without -r
        return _install(system, proc, data, replace=True)
    if verb == "uninstall" and rest:
        removed = system.packages.uninstall(rest[-1])
        if removed is None:
            proc.print("Failure [DELETE_FAILED_INTERNAL_ERROR]")
            return 1
        system.fs.remove(removed.path.rsplit("/", 1)[0], recursive=True)
        system.windows.force_stop(removed.name)
        system.log("I", "PackageManager", f"Removed package {removed.name}")
        proc.print("Success")
        return 0
    if verb == "clear" and rest:
        if system.packages.get(rest[-1]) is None:
            proc.print("Failed")
            return 1
        system.windows.force_stop(rest[-1])
        proc.print("Success")
        return 0
    return proc.fail("usage: pm list packages|path|install|uninstall|clear ...")


def _list(system: AndroidSystem, proc: Proc, args: list[str]) -> int:
    only_third_party = "-3" in args
    only_system = "-s" in args
    needle = next((a for a in args if not a.startswith("-")), "")
    for package in system.packages.all():
        if (only_third_party and package.system) or (only_system and not package.system):
            continue
        if needle in package.name:
            proc.print(f"package:{package.name}")
    return 0


def _install(system: AndroidSystem, proc: Proc, data: bytes, replace: bool) -> int:
    try:
        info = read_apk(data)
    except ApkError as exc:
        proc.print(f"Failure [{exc}]")
        return 1
    folder = f"/data/app/{info.package}-1"
    path = f"{folder}/base.apk"
    failure = system.packages.install(info, path, replace=replace)
    if failure:
        proc.print(f"Failure [{failure}]")
        return 1
    system.fs.mkdir(folder, parents=True)
    system.fs.write(path, data)
    system.log("I", "PackageManager", f"Installed {info.package} version {info.version_name}")
    system.windows.refresh()  # the launcher shows the new app
    proc.print("Success")
    return 0


def cmd(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    if args[:1] != ["package"]:
        return proc.fail(f"Can't find service: {args[0] if args else ''}", 20)
    if args[1:2] == ["install"]:
        rest = args[2:]
        if "-S" not in rest:
            proc.args = ["pm", *args[1:]]
            return pm(system, proc)
        size = int(rest[rest.index("-S") + 1].strip("'"))
        data = proc.read_stdin(limit=size)
        if len(data) != size:
            proc.print(f"Failure [INSTALL_FAILED_INVALID_APK: read {len(data)} of {size} bytes]")
            return 1
        return _install(system, proc, data, replace=True)
    proc.args = ["pm", *args[1:]]
    return pm(system, proc)


COMMANDS = {"pm": pm, "cmd": cmd}
