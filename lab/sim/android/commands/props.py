"""getprop, setprop and `settings` (system settings the UI also shows)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lab.sim.sh.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem


def getprop(system: AndroidSystem, proc: Proc) -> int:
    if len(proc.args) == 1:
        for name, value in system.props.items():
            proc.print(f"[{name}]: [{value}]")
        return 0
    default = proc.args[2] if len(proc.args) > 2 else ""
    proc.print(system.props.get(proc.args[1], default))
    return 0


def setprop(system: AndroidSystem, proc: Proc) -> int:
    if len(proc.args) != 3:
        return proc.fail("usage: setprop NAME VALUE")
    name, value = proc.args[1:]
    if name.startswith("ro.") and system.props.get(name):
        return proc.fail(f"failed to set property '{name}' to '{value}'")
    system.props.set(name, value)
    return 0


# `settings` keys backed by the device's live settings (brightness is 0-255 on Android)
def settings(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    if (
        len(args) < 3
        or args[0] not in ("get", "put")
        or args[1] not in ("system", "global", "secure")
    ):
        return proc.fail("usage: settings get|put NAMESPACE KEY [VALUE]")
    verb, _, key = args[:3]
    if verb == "get":
        if key == "screen_brightness":
            proc.print(str(round(int(system.settings["brightness"]) * 255 / 100)))
        elif key == "wifi_on":
            proc.print("1" if system.settings["wifi"] else "0")
        elif key == "screen_brightness_mode":
            proc.print("0")
        else:
            proc.print(str(system.settings.get(f"custom:{key}", "null")))
        return 0
    if len(args) < 4:
        return proc.fail("usage: settings put NAMESPACE KEY VALUE")
    value = args[3]
    if key == "screen_brightness":
        system.settings["brightness"] = max(0, min(100, round(int(value) * 100 / 255)))
    elif key == "wifi_on":
        system.settings["wifi"] = value == "1"
    else:
        system.settings[f"custom:{key}"] = value
    system.windows.refresh()
    return 0


COMMANDS = {"getprop": getprop, "setprop": setprop, "settings": settings}
