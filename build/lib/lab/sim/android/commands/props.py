"""getprop, setprop and `settings` (the settings provider the UI also shows)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lab.sim.userland.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem

NAMESPACES = ("system", "secure", "global")


def getprop(system: AndroidSystem, proc: Proc) -> int:
    args = [a for a in proc.args[1:] if not a.startswith("-")]
    if not args:
        for name, value in system.props.items():
            proc.print(f"[{name}]: [{value}]")
        return 0
    default = args[1] if len(args) > 1 else ""
    proc.print(system.props.get(args[0], default))
    return 0


def setprop(system: AndroidSystem, proc: Proc) -> int:
    if len(proc.args) != 3:
        return proc.fail("usage: setprop NAME VALUE")
    name, value = proc.args[1:]
    if name.startswith("ro.") and system.props.get(name):
        return proc.fail(f"failed to set property '{name}' to '{value}'")
    if name == "sys.powerctl" and value.startswith("reboot"):
        system.request_reboot(value.partition(",")[2])
        return 0
    system.props.set(name, value)
    return 0


class _Live:
    """Settings keys backed by the device's live state (what the UI shows)."""

    def __init__(self, key: str, read, write) -> None:
        self.key, self.read, self.write = key, read, write


def _int_in(low: int, high: int, what: str):
    def parse(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            raise ValueError(f"{what} must be {low}-{high}")
        return number

    return parse


_LIVE = {
    ("system", "screen_brightness"): _Live("brightness", str, _int_in(0, 255, "screen_brightness")),
    ("global", "wifi_on"): _Live(
        "wifi", lambda v: "1" if v else "0", lambda v: _int_in(0, 1, "wifi_on")(v) == 1
    ),
    ("global", "device_name"): _Live("device_name", str, str),
}


def settings(system: AndroidSystem, proc: Proc) -> int:
    args = list(proc.args[1:])
    if args[:1] == ["--user"] and len(args) > 1:
        args = args[2:]
    usage = "usage: settings [--user N] get|put|delete|list NAMESPACE [KEY [VALUE]]"
    if len(args) < 2 or args[0] not in ("get", "put", "delete", "list"):
        return proc.fail(usage)
    verb, namespace, rest = args[0], args[1], args[2:]
    if namespace not in NAMESPACES:
        return proc.fail(f"Invalid namespace '{namespace}'; one of {', '.join(NAMESPACES)}")
    store = system.settings_db.setdefault(namespace, {})
    if verb == "list":
        merged = {
            **store,
            **{k: _read(system, (namespace, k)) for (n, k) in _LIVE if n == namespace},
        }
        for key in sorted(merged):
            proc.print(f"{key}={merged[key]}")
        return 0
    if not rest:
        return proc.fail(usage)
    key = rest[0]
    live = _LIVE.get((namespace, key))
    if verb == "get":
        value = _read(system, (namespace, key)) if live else store.get(key)
        proc.print("null" if value is None else value)
        return 0
    if verb == "delete":
        removed = store.pop(key, None)
        proc.print(f"Deleted {1 if removed is not None else 0} rows")
        return 0
    if len(rest) < 2:
        return proc.fail(usage)
    value = rest[1]
    if live:
        try:
            system.settings[live.key] = live.write(value)
        except ValueError as exc:
            return proc.fail(f"invalid value {value!r} for {key}: {exc}")
    else:
        store[key] = value
    system.log("I", "SettingsProvider", f"put {namespace} {key}={value}")
    system.windows.refresh()
    return 0


def _read(system: AndroidSystem, where: tuple[str, str]) -> str:
    live = _LIVE[where]
    return live.read(system.settings[live.key])


COMMANDS = {"getprop": getprop, "setprop": setprop, "settings": settings}
