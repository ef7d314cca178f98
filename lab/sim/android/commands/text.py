"""Text and process basics: echo, true/false, sleep, grep, head, tail, id, uname, date."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from lab.sim.sh.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem


def echo(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    newline = True
    if args and args[0] == "-n":
        newline, args = False, args[1:]
    proc.print(" ".join(args), end="\n" if newline else "")
    return 0


def sleep(system: AndroidSystem, proc: Proc) -> int:
    try:
        seconds = float(proc.args[1])
    except (IndexError, ValueError):
        return proc.fail("usage: sleep SECONDS")
    proc.sleep(seconds)
    return 0


def grep(system: AndroidSystem, proc: Proc) -> int:
    flags = [a for a in proc.args[1:] if a.startswith("-")]
    rest = [a for a in proc.args[1:] if not a.startswith("-")]
    if not rest:
        return proc.fail("usage: grep [-iv] PATTERN", 2)
    pattern = re.compile(rest[0], re.I if "-i" in flags else 0)
    invert = "-v" in flags
    found = False
    for line in proc.read_stdin().decode(errors="replace").splitlines():
        if bool(pattern.search(line)) != invert:
            proc.print(line)
            found = True
    return 0 if found else 1


def _lines_cut(proc: Proc, head: bool) -> int:
    count = 10
    args = proc.args[1:]
    if args[:1] == ["-n"] and len(args) > 1:
        count = int(args[1])
    elif args and args[0].startswith("-") and args[0][1:].isdigit():
        count = int(args[0][1:])
    lines = proc.read_stdin().decode(errors="replace").splitlines()
    for line in lines[:count] if head else lines[-count:]:
        proc.print(line)
    return 0


def log(system: AndroidSystem, proc: Proc) -> int:
    """`log [-p PRIORITY] [-t TAG] MESSAGE`: write a line to logcat."""
    args, tag, priority = proc.args[1:], "log", "I"
    while len(args) >= 2 and args[0] in ("-t", "-p"):
        if args[0] == "-t":
            tag = args[1]
        else:
            priority = args[1][:1].upper()
        args = args[2:]
    if priority not in "VDIWEF":
        return proc.fail(f"bad priority {priority!r}")
    system.log(priority, tag, " ".join(args))
    return 0


def printing(text: str):
    """A command that prints a fixed line."""

    def command(system: AndroidSystem, proc: Proc) -> int:
        proc.print(text)
        return 0

    return command


def uname(system: AndroidSystem, proc: Proc) -> int:
    full = "-a" in proc.args
    proc.print("Linux localhost 5.15.110-tos #1 SMP PREEMPT x86_64 Toybox" if full else "Linux")
    return 0


def pwd(system: AndroidSystem, proc: Proc) -> int:
    proc.print(proc.cwd)
    return 0


def date(system: AndroidSystem, proc: Proc) -> int:
    if "+%s" in proc.args:
        proc.print(str(int(time.time())))
    else:
        proc.print(time.strftime("%a %b %d %H:%M:%S %Z %Y"))
    return 0


COMMANDS = {
    "echo": echo,
    "true": lambda s, p: 0,
    "false": lambda s, p: 1,
    ":": lambda s, p: 0,
    "sleep": sleep,
    "grep": grep,
    "head": lambda s, p: _lines_cut(p, head=True),
    "tail": lambda s, p: _lines_cut(p, head=False),
    "id": printing("uid=2000(shell) gid=2000(shell) groups=2000(shell)"),
    "whoami": printing("shell"),
    "uname": uname,
    "date": date,
    "pwd": pwd,
    "log": log,
}
