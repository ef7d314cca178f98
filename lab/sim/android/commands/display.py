"""The display and input: wm, screencap, input, uiautomator dump."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from lab.sim.android.keycodes import keycode
from lab.sim.sh.proc import Proc
from lab.sim.ui.hierarchy import to_xml

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem


def wm(system: AndroidSystem, proc: Proc) -> int:
    spec = system.spec
    what = proc.args[1] if len(proc.args) > 1 else ""
    if what == "size":
        proc.print(f"Physical size: {spec.width}x{spec.height}")
    elif what == "density":
        proc.print(f"Physical density: {spec.density}")
    else:
        return proc.fail("usage: wm size|density")
    return 0


def screencap(system: AndroidSystem, proc: Proc) -> int:
    args = [a for a in proc.args[1:]]
    png = "-p" in args
    target = next((a for a in args if not a.startswith("-") and a.startswith("/")), None)
    if target and target.endswith(".png"):
        png = True
    if png:
        data = system.screenshot_png()
    else:
        image = system.screenshot().convert("RGBA")
        # header: width, height, format (1 = RGBA_8888), color space (0 = unknown)
        data = struct.pack("<IIII", image.width, image.height, 1, 0) + image.tobytes()
    if target:
        system.fs.write(target, data)
    else:
        proc.out(data)
    return 0


def input_command(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    if args and args[0] in ("touchscreen", "keyboard", "dpad", "mouse"):
        args = args[1:]  # the source does not change what happens here
    if not args:
        return proc.fail("usage: input text|keyevent|tap|swipe ...")
    verb, rest = args[0], args[1:]
    windows = system.windows
    try:
        if verb == "keyevent":
            for name in (a for a in rest if not a.startswith("--")):
                code = keycode(name)
                if code is None:
                    return proc.fail(f"Unknown keycode: {name}")
                windows.key(code)
        elif verb == "tap":
            windows.tap(int(float(rest[0])), int(float(rest[1])))
        elif verb in ("swipe", "draganddrop"):
            x1, y1, x2, y2 = (int(float(v)) for v in rest[:4])
            windows.swipe(x1, y1, x2, y2)
        elif verb == "text":
            windows.text(" ".join(rest).replace("%s", " "))
        else:
            return proc.fail(f"Unknown command: {verb}")
    except (IndexError, ValueError):
        return proc.fail(f"bad arguments for {verb}: {' '.join(rest)}")
    return 0


def uiautomator(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    if not args or args[0] != "dump":
        return proc.fail("usage: uiautomator dump [FILE]")
    target = args[1] if len(args) > 1 else "/sdcard/window_dump.xml"
    xml = to_xml(system.windows.tree(), system.windows.top.package)
    system.fs.write(target, xml.encode())
    proc.print(f"UI hierchary dumped to: {target}")
    return 0


COMMANDS = {"wm": wm, "screencap": screencap, "input": input_command, "uiautomator": uiautomator}
