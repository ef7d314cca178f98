"""The display and input: wm, screencap, input, uiautomator dump (screenrecord: its own
module)."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from lab.sim.android.keycodes import keycode
from lab.sim.ui.hierarchy import to_xml
from lab.sim.userland.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem


def wm(system: AndroidSystem, proc: Proc) -> int:
    spec = system.spec
    args = proc.args[1:]
    what = args[0] if args else ""
    if what in ("size", "density") and len(args) > 1 and args[1] != "reset":
        return proc.fail(
            f"overriding the display {what} is not supported on this virtual device", 1
        )
    if what == "size":
        proc.print(f"Physical size: {spec.width}x{spec.height}")
    elif what == "density":
        proc.print(f"Physical density: {spec.density}")
    elif what == "user-rotation" and len(args) > 1:
        return _rotate(system, proc, args[1:])
    else:
        return proc.fail("usage: wm size|density|user-rotation [lock ROTATION]")
    return 0


def _rotate(system: AndroidSystem, proc: Proc, args: list[str]) -> int:
    if args[0] != "lock" or len(args) < 2 or not args[1].isdigit():
        return proc.fail("usage: wm user-rotation lock 0|1|2|3")
    from lab.sim.ui.activity import Unsupported

    try:
        system.windows.set_rotation(int(args[1]))
    except (Unsupported, ValueError) as exc:
        return proc.fail(str(exc))
    return 0


def screencap(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    if "-h" in args:
        proc.print("usage: screencap [-hp] [-d display-id] [FILENAME]")
        return 0
    target, png, index = None, False, 0
    while index < len(args):
        arg = args[index]
        if arg == "-p":
            png = True
        elif arg == "-d":
            index += 1  # one display here: any id shows it
        elif arg.startswith("-"):
            return proc.fail(f"unknown option {arg}")
        else:
            target = arg
        index += 1
    png = png or bool(target and target.endswith(".png"))
    if png:
        data = system.screenshot_png()
    else:
        image = system.screenshot().convert("RGBA")
        # header: width, height, format (1 = RGBA_8888), colour space (1 = sRGB)
        data = struct.pack("<IIII", image.width, image.height, 1, 1) + image.tobytes()
    if target:
        try:
            with proc.open(target, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            return proc.fail(f"Error opening file: {target} ({exc.strerror})")
    else:
        proc.out(data)
    return 0


def input_command(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    if args and args[0] in ("touchscreen", "touchpad", "keyboard", "dpad", "mouse", "gamepad"):
        args = args[1:]  # the source does not change what happens here
    if not args:
        return proc.fail("usage: input text|keyevent|tap|swipe|draganddrop ...")
    verb, rest = args[0], args[1:]
    windows = system.windows
    try:
        if verb in ("keyevent", "press"):
            longpress = "--longpress" in rest
            names = [a for a in rest if not a.startswith("--")]
            if verb == "press":
                names = names or ["DPAD_CENTER"]
            if not names:
                return proc.fail("usage: input keyevent [--longpress] KEYCODE ...")
            codes = []
            for name in names:
                code = keycode(name)
                if code is None:
                    return proc.fail(f"Unknown keycode: {name}")
                codes.append(code)
            for code in codes:
                windows.key(code, long=longpress)
        elif verb == "tap":
            windows.tap(int(float(rest[0])), int(float(rest[1])))
        elif verb in ("swipe", "draganddrop"):
            x1, y1, x2, y2 = (int(float(v)) for v in rest[:4])
            windows.swipe(x1, y1, x2, y2)
        elif verb == "text":
            if not rest:
                return proc.fail("usage: input text STRING")
            windows.text(" ".join(rest).replace("%s", " "))
        else:
            return proc.fail(f"Unknown command: {verb}")
    except (IndexError, ValueError):
        return proc.fail(f"bad arguments for {verb}: {' '.join(rest)}")
    return 0


def uiautomator(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    if not args or args[0] != "dump":
        return proc.fail("usage: uiautomator dump [--compressed] [FILE]")
    options = [a for a in args[1:] if a.startswith("--")]
    unknown = [o for o in options if o not in ("--compressed", "--windows")]
    if unknown:
        return proc.fail(f"unknown option {unknown[0]}")
    files = [a for a in args[1:] if not a.startswith("--")]
    target = files[0] if files else "/sdcard/window_dump.xml"
    windows = system.windows
    xml = to_xml(windows.tree(), windows.top.package, rotation=windows.rotation)
    try:
        with proc.open(target, "wb") as handle:
            handle.write(xml.encode())
    except OSError as exc:
        proc.err(f"ERROR: could not write {target}: {exc.strerror}\n".encode())
        return 1
    proc.print(f"UI hierchary dumped to: {target}")
    return 0


COMMANDS = {
    "wm": wm,
    "screencap": screencap,
    "input": input_command,
    "uiautomator": uiautomator,
}
