"""logcat: dump (-d), clear (-c), stream, formats (-v), TAG:PRIORITY filters, and where to
start: `-t N` / `-T N` (the last N lines) or `-t TIME` / `-T TIME` (lines since a time, as
Mobly's logcat service resumes with), `--pid`, `-e REGEX`, `-m N`."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from lab.sim.android.commands.options import Words
from lab.sim.android.logcat import LogFilter
from lab.sim.userland.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem

FORMATS = ("threadtime", "brief", "tag", "time", "raw", "process", "thread", "long")
BUFFERS = ("main", "system", "crash", "events", "radio", "kernel", "all", "default")
_TIME_FORMATS = ("%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S")


class _Usage(ValueError):
    pass


def parse_since(text: str, now: float | None = None) -> float:
    """A logcat time: 'MM-DD hh:mm:ss.mmm', 'YYYY-MM-DD hh:mm:ss.mmm' or 'sss.mmm' (epoch)."""
    text = text.strip().strip("'\"")
    if re.fullmatch(r"\d+(\.\d+)?", text) and "." in text:
        return float(text)
    whole, _, fraction = text.partition(".")
    millis = int(fraction[:3].ljust(3, "0")) / 1000 if fraction.isdigit() else 0.0
    current = time.localtime(now)
    for pattern in _TIME_FORMATS:
        try:
            parsed = time.strptime(whole, pattern)
        except ValueError:
            continue
        year = parsed.tm_year if "%Y" in pattern else current.tm_year
        fields = (year, *parsed[1:6], 0, 0, -1)
        return time.mktime(fields) + millis  # type: ignore[arg-type]
    raise _Usage(f"invalid time {text!r} (use 'MM-DD hh:mm:ss.mmm' or a line count)")


def logcat(system: AndroidSystem, proc: Proc) -> int:
    try:
        options = _options(proc.args[1:])
    except _Usage as exc:
        return proc.fail(str(exc))
    if options["clear"]:
        system.logcat.clear()
        return 0
    try:
        log_filter = LogFilter(options["specs"], default="S" if options["silent"] else "V")
    except ValueError as exc:
        return proc.fail(str(exc))

    def wanted(entry) -> bool:
        if options["pid"] is not None and entry.pid != options["pid"]:
            return False
        if options["regex"] is not None and not options["regex"].search(entry.message):
            return False
        return log_filter.accepts(entry)

    # follow on from the snapshot's instant: a line logged meanwhile is neither lost nor doubled
    history, seq = system.logcat.snapshot()
    entries = [e for e in history if wanted(e)]
    if options["since"] is not None:
        entries = [e for e in entries if e.when >= options["since"]]
    if options["last"] is not None:
        entries = entries[-options["last"] :] if options["last"] else []
    limit = options["max"]
    printed = 0
    for entry in entries:
        if limit is not None and printed >= limit:
            return 0
        proc.print(entry.format(options["style"]))
        printed += 1
    if options["dump"]:
        return 0
    while not proc.cancelled.is_set():
        system.logcat.wait(seq, 0.5)
        for entry in system.logcat.since(seq):
            seq = entry.seq
            if wanted(entry):
                if limit is not None and printed >= limit:
                    return 0
                proc.print(entry.format(options["style"]))
                printed += 1
    return 0


def _options(args: list[str]) -> dict:
    options: dict = {
        "style": "threadtime",
        "dump": False,
        "last": None,
        "since": None,
        "specs": [],
        "silent": False,
        "clear": False,
        "pid": None,
        "regex": None,
        "max": None,
    }
    words = Words(args, _Usage, "option {} needs a value")
    value = words.value
    for arg in words:
        if arg == "-c":
            options["clear"] = True
        elif arg == "-d":
            options["dump"] = True
        elif arg == "-v":
            style = value()
            if style not in FORMATS and style not in (
                "color",
                "epoch",
                "monotonic",
                "uid",
                "year",
                "zone",
                "usec",
                "printable",
                "descriptive",
            ):
                raise _Usage(f"unknown format {style!r}")
            options["style"] = style if style in FORMATS else options["style"]
        elif arg in ("-t", "-T"):
            text = value()
            if text.isdigit():
                options["last"] = int(text)
            else:
                options["since"] = parse_since(text)
            options["dump"] = options["dump"] or arg == "-t"
        elif arg == "-s":
            options["silent"] = True
        elif arg == "-b":
            for name in value().split(","):
                if name not in BUFFERS:
                    raise _Usage(f"unknown buffer {name!r}")
        elif arg == "--pid":
            text = value()
            if not text.isdigit():
                raise _Usage(f"--pid needs a number, not {text!r}")
            options["pid"] = int(text)
        elif arg in ("-e", "--regex"):
            try:
                options["regex"] = re.compile(value())
            except re.error as exc:
                raise _Usage(f"bad regex: {exc}") from None
        elif arg in ("-m", "--max-count"):
            text = value()
            if not text.isdigit():
                raise _Usage(f"{arg} needs a number")
            options["max"] = int(text)
        elif arg.startswith("-"):
            raise _Usage(f"unknown option {arg}")
        else:
            options["specs"].append(arg)
    return options


COMMANDS = {"logcat": logcat}
