"""The framework commands of the emulated system, by name: `runner(system, proc) -> exit
code`. The shell itself and the file commands are the real ones (mksh, toybox)."""

from __future__ import annotations

from lab.sim.android.commands import (
    activity,
    display,
    dumpsys,
    logcat,
    packages,
    props,
    screenrecord,
    system,
)

COMMANDS = {
    **props.COMMANDS,
    **display.COMMANDS,
    **screenrecord.COMMANDS,
    **activity.COMMANDS,
    **dumpsys.COMMANDS,
    **packages.COMMANDS,
    **logcat.COMMANDS,
    **system.COMMANDS,
}
