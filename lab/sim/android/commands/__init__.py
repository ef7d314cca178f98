"""The shell commands of the emulated system, by name: `runner(system, proc) -> exit code`."""

from __future__ import annotations

from lab.sim.android.commands import (
    activity,
    display,
    files,
    logcat,
    packages,
    props,
    text,
)

COMMANDS = {
    **files.COMMANDS,
    **text.COMMANDS,
    **props.COMMANDS,
    **display.COMMANDS,
    **activity.COMMANDS,
    **packages.COMMANDS,
    **logcat.COMMANDS,
}
