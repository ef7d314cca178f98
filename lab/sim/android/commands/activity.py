"""Activities and the system: am, monkey, dumpsys, reboot, app_process (the u2 agent)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from lab.sim.sh.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem

U2_JAR = "/data/local/tmp/u2.jar"
U2_MAIN = "com.wetest.uia2.Main"


def am(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    verb = args[0] if args else ""
    if verb in ("start", "start-activity"):
        options = _options(args[1:])
        component = options.get("-n")
        if not component:
            proc.print(f"Starting: Intent {{ act={options.get('-a', '')} }}")
            proc.err(b"Error: Activity not started, unable to resolve Intent\n")
            return 1
        package, _, activity = component.partition("/")
        if "-S" in args:
            system.windows.force_stop(package)
        proc.print(f"Starting: Intent {{ cmp={component} }}")
        if not system.windows.start(package, activity or None):
            proc.err(
                f"Error type 3\nError: Activity class {{{component}}} does not exist.\n".encode()
            )
            return 1
        return 0
    if verb == "force-stop" and len(args) > 1:
        system.windows.force_stop(args[1])
        return 0
    if verb == "broadcast":
        action = _options(args[1:]).get("-a", "")
        system.log("I", "ActivityManager", f"broadcast {action}")
        proc.print(f"Broadcasting: Intent {{ act={action} flg=0x400000 }}")
        proc.print("Broadcast completed: result=0")
        return 0
    return proc.fail("usage: am start -n PKG/ACT | force-stop PKG | broadcast -a ACTION")


def _options(args: list[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for index, arg in enumerate(args):
        if arg.startswith("-") and index + 1 < len(args) and not args[index + 1].startswith("-"):
            options[arg] = args[index + 1]
    return options


def monkey(system: AndroidSystem, proc: Proc) -> int:
    options = _options(proc.args[1:])
    package = options.get("-p")
    if not package or not system.windows.start(package):
        proc.print("** No activities found to run, monkey aborted.")
        return 1
    proc.print("Events injected: 1")
    proc.print("## Network stats: elapsed time=12ms (0ms mobile, 0ms wifi, 12ms not connected)")
    return 0


def dumpsys(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    service = args[0] if args else ""
    writer = DUMPSYS.get(service)
    if writer is None:
        proc.print(f"Can't find service: {service}" if service else "Currently running services:")
        if not service:
            for name in sorted(DUMPSYS):
                proc.print(f"  {name}")
        return 0
    writer(system, proc, args[1:])
    return 0


def _window(system: AndroidSystem, proc: Proc, args: list[str]) -> None:
    top = system.windows.top
    token = f"{abs(hash(top.component)) % 0xFFFFFF:06x}"
    proc.print("WINDOW MANAGER WINDOWS (dumpsys window windows)")
    proc.print(f"  Window #0 Window{{{token} u0 {top.package}/{top.full_name}}}:")
    proc.print("    mDisplayId=0 rootTaskId=1 mSession=Session{1 2000:1000}")
    proc.print(f"  mCurrentFocus=Window{{{token} u0 {top.package}/{top.full_name}}}")
    proc.print(f"  mFocusedApp=ActivityRecord{{{token} u0 {top.component} t1}}")
    spec = system.spec
    proc.print(
        f"  init={spec.width}x{spec.height} {spec.density}dpi cur={spec.width}x{spec.height}"
    )


def _activity(system: AndroidSystem, proc: Proc, args: list[str]) -> None:
    top = system.windows.top
    token = f"{abs(hash(top.component)) % 0xFFFFFF:06x}"
    if args[:1] == ["top"]:
        proc.print("TASK 10000:com.tos id=1 userId=0")
        proc.print(f"  ACTIVITY {top.component} {token} pid={_pid(top.package)}")
        return
    proc.print("ACTIVITY MANAGER ACTIVITIES (dumpsys activity activities)")
    proc.print(f"  mResumedActivity: ActivityRecord{{{token} u0 {top.component} t1}}")
    proc.print(f"  mFocusedApp=ActivityRecord{{{token} u0 {top.component} t1}}")


def _pid(package: str) -> int:
    return 1000 + sum(package.encode()) % 9000


def _display(system: AndroidSystem, proc: Proc, args: list[str]) -> None:
    spec = system.spec
    w, h = spec.width, spec.height
    proc.print("DISPLAY MANAGER (dumpsys display)")
    proc.print(
        f"  mDefaultViewport=DisplayViewport{{type=INTERNAL, valid=true, isActive=true, "
        f"displayId=0, uniqueId='local:0', physicalPort=0, orientation=0, "
        f"logicalFrame=Rect(0, 0 - {w}, {h}), physicalFrame=Rect(0, 0 - {w}, {h}), "
        f"deviceWidth={w}, deviceHeight={h}}}"
    )
    proc.print(
        f'  mBaseDisplayInfo=DisplayInfo{{"Built-in Screen", displayId 0, real {w} x {h}, '
        f"density {spec.density}, rotation 0, state "
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
    targets = [system.packages.get(a) for a in args] if args else system.packages.all()
    proc.print("Packages:")
    for package in targets:
        if package is None:
            continue
        proc.print(f"  Package [{package.name}] (1a2b3c):")
        proc.print(f"    versionCode={package.version_code} minSdk=26 targetSdk=33")
        proc.print(f"    versionName={package.version_name}")
        flags = "SYSTEM HAS_CODE" if package.system else "HAS_CODE ALLOW_CLEAR_USER_DATA"
        proc.print(f"    pkgFlags=[ {flags} ]")
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(system.boot_time))
        proc.print(f"    firstInstallTime={stamp}")
        proc.print(f"    lastUpdateTime={stamp}")


def _power(system: AndroidSystem, proc: Proc, args: list[str]) -> None:
    on = system.windows.screen_on
    proc.print(f"  mWakefulness={'Awake' if on else 'Asleep'}")
    proc.print(f"  Display Power: state={'ON' if on else 'OFF'}")


DUMPSYS = {
    "window": _window,
    "activity": _activity,
    "display": _display,
    "battery": _battery,
    "package": _package,
    "power": _power,
}


def reboot(system: AndroidSystem, proc: Proc) -> int:
    system.request_reboot(proc.args[1] if len(proc.args) > 1 else "")
    return 0


def app_process(system: AndroidSystem, proc: Proc) -> int:
    """Only the uiautomator2 agent runs here; it lives as long as the launching shell."""
    args = proc.args[1:]
    classpath = proc.env.get("CLASSPATH", "")
    if U2_MAIN not in args or classpath != U2_JAR:
        return proc.fail(f"Error: no class to run (CLASSPATH={classpath!r})")
    if not system.fs.exists(U2_JAR):
        return proc.fail(f"java.lang.ClassNotFoundException: {U2_MAIN}")
    port = int(args[args.index("-p") + 1]) if "-p" in args else 9008
    if not system.start_agent(port):
        proc.err(b"java.net.BindException: Address already in use\n")
        return 1
    proc.print("[server] INFO: [UiAutomator2Server] Starting Server")
    try:
        while not proc.cancelled.wait(0.5):
            if not system.agent_running(port):
                break
    finally:
        system.stop_agent(port)
    return 0


COMMANDS = {
    "am": am,
    "monkey": monkey,
    "dumpsys": dumpsys,
    "reboot": reboot,
    "app_process": app_process,
}
