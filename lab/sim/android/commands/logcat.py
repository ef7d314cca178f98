"""logcat: dump (-d), clear (-c), stream, formats (-v) and TAG:PRIORITY filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lab.sim.android.logcat import LogFilter
from lab.sim.sh.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem

FORMATS = ("threadtime", "brief", "tag", "time", "raw")


def logcat(system: AndroidSystem, proc: Proc) -> int:
    args = list(proc.args[1:])
    style, dump, last, specs, silent_default = "threadtime", False, None, [], False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "-c":
            system.logcat.clear()
            return 0
        if arg == "-d":
            dump = True
        elif arg == "-v" and i + 1 < len(args):
            i += 1
            style = args[i] if args[i] in FORMATS else style
        elif arg in ("-t", "-T") and i + 1 < len(args):
            i += 1
            last = int(args[i])
            dump = dump or arg == "-t"
        elif arg == "-s":
            silent_default = True
        elif arg in ("-b", "--pid", "-e", "-m"):
            i += 1  # buffers and others: one buffer here
        elif not arg.startswith("-"):
            specs.append(arg)
        i += 1
    try:
        log_filter = LogFilter(specs, default="S" if silent_default else "V")
    except ValueError as exc:
        return proc.fail(str(exc))
    entries = [e for e in system.logcat.since(0) if log_filter.accepts(e)]
    if last is not None:
        entries = entries[-last:]
    for entry in entries:
        proc.print(entry.format(style))
    if dump:
        return 0
    seq = system.logcat.last_seq()
    while not proc.cancelled.is_set():
        system.logcat.wait(seq, 0.5)
        for entry in system.logcat.since(seq):
            seq = entry.seq
            if log_filter.accepts(entry):
                proc.print(entry.format(style))
    return 0


COMMANDS = {"logcat": logcat}
