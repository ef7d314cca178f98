"""dumpsys: the services' state in the formats clients parse, as Android 13 prints them
(adbutils reads mCurrentFocus, mResumedActivity and `ACTIVITY pkg/act hash pid=N`; Mobly
and tools read battery, package, display)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from lab.sim.userland.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem


def dumpsys(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    if args[:1] == ["-l"]:
        proc.print("Currently running services:")
        for name in sorted(DUMPSYS):
            proc.print(f"  {name}")
        return 0
    service = args[0] if args else ""
    writer = DUMPSYS.get(service)
    if writer is None:
        if service:
            proc.print(f"Can't find service: {service}")
            return 0
        for name in sorted(DUMPSYS):
            proc.print("-" * 79)
            proc.print(f"DUMP OF SERVICE {name}:")
            DUMPSYS[name](system, proc, [])
        return 0
    writer(system, proc, args[1:])
    return 0


def _token(component: str) -> str:
    return f"{sum(component.encode()) * 7919 % 0xFFFFFFF:07x}"


def _window(system: AndroidSystem, proc: Proc, args: list[str]) -> None:
    """`dumpsys window [section]` as WindowManagerService.doDump answers on Android 13. Since
    Android 10 the focus (mCurrentFocus, mFocusedApp) is per display: `dumpsys window
    displays` and a plain `dumpsys window` show it, `dumpsys window windows` does not, so
    clients that look there (adbutils' app_current) fall back to `dumpsys activity`."""
    section = next((a for a in args if not a.startswith("-")), "")  # after -a, -h ...
    if section in ("policy", "p"):
        _window_policy(system, proc)
    elif section in ("displays", "d"):
        _window_displays(system, proc)
    elif section in ("windows", "w", "all", "visible", "apps", "visible-apps"):
        _window_windows(system, proc)
    elif section:  # a window by (part of) its name
        if section in f"{_token(system.windows.top.component)} {_window_name(system)}":
            _window_windows(system, proc)
        else:
            proc.print(f"Bad window command, or no windows match: {section}")
            proc.print("Use -h for help.")
    else:
        for dump in (_window_policy, _window_displays, _window_windows):
            proc.print("")
            dump(system, proc)


def _window_name(system: AndroidSystem) -> str:
    top = system.windows.top
    return f"Window{{{_token(top.component)} u0 {top.package}/{top.full_name}}}"


def _record(system: AndroidSystem, index: int | None = None) -> str:
    """ActivityRecord{hash u0 pkg/.Act tN} of the activity at `index` (the top one)."""
    stack = system.windows.stack()
    index = len(stack) - 1 if index is None else index
    activity = stack[index]
    return f"ActivityRecord{{{_token(activity.component)} u0 {activity.component} t{index + 1}}}"


def _window_displays(system: AndroidSystem, proc: Proc) -> None:
    spec = system.spec
    width, height = system.windows.display_size()
    proc.print("WINDOW MANAGER DISPLAY CONTENTS (dumpsys window displays)")
    proc.print("  Display: mDisplayId=0 rootTasks=1")
    proc.print(f"    init={spec.width}x{spec.height} {spec.density}dpi cur={width}x{height}")
    proc.print(f"  mCurrentFocus={_window_name(system)}")
    proc.print(f"  mFocusedApp={_record(system)}")


def _window_windows(system: AndroidSystem, proc: Proc) -> None:
    top = system.windows.top
    task = len(system.windows.stack())
    width, height = system.windows.display_size()
    name = _window_name(system)
    proc.print("WINDOW MANAGER WINDOWS (dumpsys window windows)")
    proc.print(f"  Window #0 {name}:")
    proc.print(f"    mDisplayId=0 rootTaskId={task} mSession=Session{{1 2000:1000}}")
    proc.print(
        f"    mOwnerUid={_uid(system, top.package)} showForAllUsers=false "
        f"package={top.package} appop=NONE"
    )
    proc.print(f"    mActivityRecord={_record(system)}")
    proc.print(
        f"    Frames: parent=[0,0][{width},{height}] display=[0,0][{width},{height}] "
        f"frame=[0,0][{width},{height}]"
    )
    proc.print("    mViewVisibility=0x0 mHaveFrame=true mObscured=false")
    proc.print("    isOnScreen=true")
    proc.print("    isVisible=true")
    proc.print("")
    proc.print(f"  mHasPermanentDpad={'true' if system.spec.has('dpad') else 'false'}")
    proc.print("  mTopFocusedDisplayId=0")
    for target in ("imeLayeringTarget", "imeInputTarget", "imeControlTarget"):
        proc.print(f"  {target} in display# 0 {name}")
    proc.print(f"  mInTouchMode={'false' if system.spec.has('dpad') else 'true'}")
    proc.print(f"  mRotation={system.windows.rotation}")


def _uid(system: AndroidSystem, package: str) -> int:
    found = system.packages.get(package)
    return found.uid if found else 1000


def _window_policy(system: AndroidSystem, proc: Proc) -> None:
    awake = system.windows.screen_on
    proc.print("WINDOW MANAGER POLICY STATE (dumpsys window policy)")
    proc.print("    mSafeMode=false mSystemReady=true mSystemBooted=true")
    proc.print(f"    mDreamingLockscreen=false mScreenOnFully={'true' if awake else 'false'}")
    proc.print("    KeyguardServiceDelegate")
    proc.print("      showing=false")
    state = "INTERACTIVE_STATE_AWAKE" if awake else "INTERACTIVE_STATE_SLEEP"
    proc.print(f"      interactiveState={state}")


def _meminfo(system: AndroidSystem, proc: Proc, args: list[str]) -> None:
    """Memory of an app's process: its real numbers (the process is a small stand-in, so
    they are small), from /proc/PID/smaps_rollup inside the device."""
    names = [a for a in args if not a.startswith("-")]
    if not names:
        proc.print("Applications Memory Usage (in Kilobytes):")
        for name, pid in sorted(system.processes.running().items(), key=lambda np: np[1]):
            proc.print(f"  {_rollup(system, pid).get('Pss', 0):>8}K: {name} (pid {pid})")
        return
    target = names[0]
    pid = int(target) if target.isdigit() else system.processes.pid_of(target)
    if not pid or pid not in system.processes.running().values():
        proc.print(f"No process found for: {target}")
        return
    name = next(n for n, p in system.processes.running().items() if p == pid)
    rollup = _rollup(system, pid)
    pss, rss = rollup.get("Pss", 0), rollup.get("Rss", 0)
    dirty, clean = rollup.get("Private_Dirty", 0), rollup.get("Private_Clean", 0)
    swap = rollup.get("SwapPss", 0)
    proc.print("Applications Memory Usage (in Kilobytes):")
    proc.print(f"Uptime: {int(system.uptime() * 1000)} Realtime: {int(system.uptime() * 1000)}")
    proc.print("")
    proc.print(f"** MEMINFO in pid {pid} [{name}] **")
    proc.print(
        "                   Pss  Private  Private  SwapPss      Rss     Heap     Heap     Heap"
    )
    proc.print(
        "                 Total    Dirty    Clean    Dirty    Total     Size    Alloc     Free"
    )
    proc.print(
        "                ------   ------   ------   ------   ------   ------   ------   ------"
    )
    proc.print(
        f"        TOTAL {pss:>8} {dirty:>8} {clean:>8} {swap:>8} {rss:>8} {0:>8} {0:>8} {0:>8}"
    )


def _rollup(system: AndroidSystem, pid: int) -> dict[str, int]:
    try:
        text = system.files.read_bytes(f"/proc/{pid}/smaps_rollup").decode(errors="replace")
    except OSError:
        return {}
    values: dict[str, int] = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        number = rest.strip().split(" ")[0]
        if number.isdigit():
            values[key.strip()] = int(number)
    return values


def _activity(system: AndroidSystem, proc: Proc, args: list[str]) -> None:
    windows = system.windows
    stack = windows.stack()
    top = stack[-1]
    if args[:1] == ["top"]:  # each task a number, the same in every section (tN, id=N)
        task = len(stack)
        proc.print(f"TASK {_uid(system, top.package)}:{top.package} id={task} userId=0")
        pid = system.processes.pid_of(top.package)
        proc.print(f"  ACTIVITY {top.component} {_token(top.component)} pid={pid}")
        return
    if args[:1] == ["processes"]:
        proc.print("ACTIVITY MANAGER RUNNING PROCESSES (dumpsys activity processes)")
        for name, pid in sorted(system.processes.running().items(), key=lambda np: np[1]):
            proc.print(f"  *APP* UID 1000 ProcessRecord{{{pid:x} {pid}:{name}/u0a0}}")
        return
    proc.print("ACTIVITY MANAGER ACTIVITIES (dumpsys activity activities)")
    proc.print("  Task display areas in top down Z order:")
    for index, activity in reversed(list(enumerate(stack))):
        state = "RESUMED" if activity is top else "STOPPED"
        proc.print(f"      * Hist  #{index}: {_record(system, index)}")
        proc.print(f"        packageName={activity.package} processName={activity.package}")
        proc.print(f"        state={state}")
    proc.print(f"  mResumedActivity: {_record(system)}")
    proc.print(f"  mFocusedApp={_record(system)}")


def _display(system: AndroidSystem, proc: Proc, args: list[str]) -> None:
    spec = system.spec
    w, h = system.windows.display_size()
    rotation = system.windows.rotation
    proc.print("DISPLAY MANAGER (dumpsys display)")
    proc.print(
        f"  mDefaultViewport=DisplayViewport{{type=INTERNAL, valid=true, isActive=true, "
        f"displayId=0, uniqueId='local:0', physicalPort=0, orientation={rotation}, "
        f"logicalFrame=Rect(0, 0 - {w}, {h}), physicalFrame=Rect(0, 0 - {w}, {h}), "
        f"deviceWidth={w}, deviceHeight={h}}}"
    )
    proc.print(
        f'  mBaseDisplayInfo=DisplayInfo{{"Built-in Screen", displayId 0, real {spec.width} x '
        f"{spec.height}, density {spec.density}, rotation {rotation}, state "
        f"{'ON' if system.windows.screen_on else 'OFF'}}}"
    )


def _battery(system: AndroidSystem, proc: Proc, args: list[str]) -> None:
    present = system.spec.has("battery")
    charging = bool(system.settings["charging"])
    proc.print("Current Battery Service state:")
    for line in (
        f"AC powered: {'false' if present else 'true'}",
        f"USB powered: {'true' if present and charging else 'false'}",
        "Wireless powered: false",
        "Max charging current: 500000",
        "Max charging voltage: 5000000",
        "Charge counter: 2000000",
        f"status: {2 if charging else 3}",
        "health: 2",
        f"present: {'true' if present else 'false'}",
        f"level: {system.settings['battery'] if present else 100}",
        "scale: 100",
        "voltage: 4100",
        "temperature: 250",
        "technology: Li-ion",
    ):
        proc.print(f"  {line}")


def _package(system: AndroidSystem, proc: Proc, args: list[str]) -> None:
    names = [a for a in args if not a.startswith("-")]
    targets = [system.packages.get(a) for a in names] if names else system.packages.all()
    proc.print("Packages:")
    for package in targets:
        if package is None:
            continue
        proc.print(f"  Package [{package.name}] ({_token(package.name)}):")
        proc.print(f"    userId={package.uid}")
        proc.print(f"    codePath={package.path.rsplit('/', 1)[0]}")
        proc.print(f"    versionCode={package.version_code} minSdk={package.min_sdk} targetSdk=33")
        proc.print(f"    versionName={package.version_name}")
        flags = "SYSTEM HAS_CODE" if package.system else "HAS_CODE ALLOW_CLEAR_USER_DATA"
        proc.print(f"    pkgFlags=[ {flags} ]")
        signers = ", ".join(digest[:8] for digest in package.signers)
        proc.print(f"    signatures=PackageSignatures{{version:2, signatures:[{signers}]}}")
        if package.features:
            proc.print("    requested features:")
            for name in package.features:
                proc.print(f"      {name}")
        for what, at in (("first", package.installed_at), ("last", package.updated_at)):
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at or system.boot_time))
            proc.print(f"    {what}{'Install' if what == 'first' else 'Update'}Time={stamp}")


def _power(system: AndroidSystem, proc: Proc, args: list[str]) -> None:
    on = system.windows.screen_on
    proc.print("POWER MANAGER (dumpsys power)")
    proc.print(f"  mWakefulness={'Awake' if on else 'Asleep'}")
    proc.print(f"  mInteractive={'true' if on else 'false'}")
    proc.print(f"  Display Power: state={'ON' if on else 'OFF'}")


def _input_method(system: AndroidSystem, proc: Proc, args: list[str]) -> None:
    proc.print(f"  mCurMethodId={system.current_ime()}")
    proc.print(f"  mInputShown={'true' if system.windows.ime_shown else 'false'}")


DUMPSYS = {
    "window": _window,
    "activity": _activity,
    "display": _display,
    "battery": _battery,
    "package": _package,
    "power": _power,
    "input_method": _input_method,
    "meminfo": _meminfo,
}

COMMANDS = {"dumpsys": dumpsys}
