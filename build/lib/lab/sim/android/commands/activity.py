"""The activity manager's shell side: am and monkey, as ActivityManagerShellCommand answers
(errors on stderr; `am start` itself exits 0 even when the activity does not exist, as on
a device: callers read what it printed)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lab.sim.android import camera
from lab.sim.apps import adb_keyboard, config_receiver
from lab.sim.apps.arcade import service as arcade
from lab.sim.apps.wallet import receiver as wallet_config
from lab.sim.userland.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem

NO_CLASS_ERROR_CODE = "Error type 3"
_TAKES_VALUE = {"-a", "-d", "-t", "-c", "-n", "-f", "--user", "-e", "--es", "--ei", "--ez"}
_TAKES_VALUE |= {
    "--el",
    "--ef",
    "--eu",
    "--ecn",
    "--eia",
    "--esa",
    "--display",
    "-P",
    "--receiver-permission",
}


@dataclass
class Intent:
    action: str = ""
    data: str = ""
    mime: str = ""
    categories: list[str] = field(default_factory=list)
    component: str = ""
    extras: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)  # -W, -S, ... (no value)
    rest: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        parts = []
        if self.action:
            parts.append(f"act={self.action}")
        if self.categories:
            parts.append(f"cat=[{','.join(self.categories)}]")
        if self.data:
            parts.append(f"dat={self.data}")
        if self.mime:
            parts.append(f"typ={self.mime}")
        if self.component:
            parts.append(f"cmp={_short(self.component)}")
        if self.extras:
            parts.append("(has extras)")
        return "Intent { " + " ".join(parts) + " }"


def _short(component: str) -> str:
    package, _, activity = component.partition("/")
    if activity.startswith(package + "."):
        activity = activity[len(package) :]
    return f"{package}/{activity}"


def parse_intent(args: list[str]) -> Intent:
    intent = Intent()
    index = 0
    while index < len(args):
        arg = args[index]
        value = args[index + 1] if index + 1 < len(args) else ""
        if arg in _TAKES_VALUE:
            index += 1
            if arg == "-a":
                intent.action = value
            elif arg == "-d":
                intent.data = value
            elif arg == "-t":
                intent.mime = value
            elif arg == "-c":
                intent.categories.append(value)
            elif arg == "-n":
                intent.component = value
            elif arg in ("-e", "--es", "--ei", "--ez", "--el", "--ef", "--eu") and index + 1 < len(
                args
            ):
                index += 1
                intent.extras[value] = args[index]
        elif arg.startswith("-"):
            intent.flags.add(arg)
        else:
            intent.rest.append(arg)
        index += 1
    return intent


def am(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    verb, rest = (args[0], args[1:]) if args else ("", [])
    if verb in ("start", "start-activity"):
        return _start(system, proc, parse_intent(rest))
    if verb == "force-stop" and rest:
        system.windows.force_stop([a for a in rest if not a.startswith("-")][-1])
        return 0
    if verb == "kill" and rest:
        package = [a for a in rest if not a.startswith("-")][-1]
        if system.windows.top.package != package:  # only background processes are killed
            system.processes.stop(package)
        return 0
    if verb == "broadcast":
        intent = parse_intent(rest)
        system.log("I", "ActivityManager", f"broadcast {intent}")
        proc.print(f"Broadcasting: {intent}")
        answer = _deliver(system, intent)
        if answer is None:  # no receiver took it
            proc.print("Broadcast completed: result=0")
        else:
            code, data = answer
            proc.print(f'Broadcast completed: result={code}, data="{data}"')
        return 0
    if verb == "get-current-user":
        proc.print("0")
        return 0
    if verb == "stack" or verb == "task":
        return proc.fail(f"'{verb}' is not supported on this virtual device", 255)
    proc.err(
        b"usage: am [start|force-stop|kill|broadcast|get-current-user] ...\n"
        b"Activity manager (activity) commands: see `cmd activity help` on a device.\n"
    )
    return 255 if verb else 0


STORE_CONFIGURE = "com.tos.store.action.CONFIGURE"


def _deliver(system: AndroidSystem, intent: Intent) -> tuple[int, str] | None:
    """The receivers the device has: the camera's scene (virtual devices), the wallet's
    sandbox configuration, and the AdbKeyboard input method's when it is installed and
    chosen (lab.sim.apps.adb_keyboard)."""
    if intent.action == camera.ACTION and system.camera is not None:
        return system.camera.receive(intent.extras)
    if intent.action == wallet_config.ACTION and system.wallet is not None:
        return wallet_config.receive(system.wallet, system.root, intent.extras)
    if intent.action == arcade.ACTION and system.arcade is not None:
        return system.arcade.receive(intent.extras)
    if intent.action == arcade.CONFIGURE and system.arcade is not None:
        return system.arcade.configure(intent.extras)
    if intent.action == STORE_CONFIGURE and system.store is not None:
        return config_receiver.receive(system.store.configure, system.root, intent.extras)
    if system.current_ime() != adb_keyboard.IME_ID:
        return None
    if adb_keyboard.IME_ID not in system.input_methods():
        return None
    return adb_keyboard.receive(intent.action, intent.extras, system)


# The implicit intents the system apps take (their manifests' intent filters): home, and
# the Settings actions Android defines for the screens TOS+ Settings has (CDD 3.2.3.1).
MAIN, CATEGORY_HOME = "android.intent.action.MAIN", "android.intent.category.HOME"
IMPLICIT = {
    "android.settings.SETTINGS": "com.tos.settings/.Settings",
    "android.settings.DEVICE_INFO_SETTINGS": "com.tos.settings/.About",
    "android.settings.LOCALE_SETTINGS": "com.tos.settings/.Language",
    "android.settings.DEVICE_NAME": "com.tos.settings/.DeviceName",
}


def _resolve(system: AndroidSystem, intent: Intent) -> str:
    """The component an intent without one goes to ("" when nothing takes it)."""
    if intent.action == MAIN and CATEGORY_HOME in intent.categories:
        launcher = system.packages.get("com.tos.launcher")
        return launcher.component or "" if launcher else ""
    if intent.action == MAIN:  # `am start -a MAIN PACKAGE`: that package's launcher activity
        found = system.packages.get(next((p for p in intent.rest if "." in p), ""))
        return found.component if found and found.component else ""
    component = IMPLICIT.get(intent.action, "")
    return component if system.packages.get(component.partition("/")[0]) else ""


def _start(system: AndroidSystem, proc: Proc, intent: Intent) -> int:
    wait = "-W" in intent.flags
    windows = system.windows
    intent_text = str(intent)  # `Starting:` shows the intent as given, before resolution
    if not intent.component:
        intent.component = _resolve(system, intent)
    if "-S" in intent.flags and intent.component:
        package = intent.component.partition("/")[0]
        proc.print(f"Stopping: {package}")
        windows.force_stop(package)
    proc.print(f"Starting: {intent_text}")
    out = proc.out if wait else proc.err
    if not intent.component:
        out(f"Error: Activity not started, unable to resolve {intent_text}\n".encode())
        return 0
    package, _, activity = intent.component.partition("/")
    installed = system.packages.get(package)
    before = system.processes.pid_of(package)
    on_top = windows.top.package == package
    started = time.monotonic()
    store = system.store
    if store is not None and package == "com.tos.store" and intent.extras.get("package"):
        # the store's deep link (`--es package P`): that app's details page
        store.open_details(intent.extras["package"])
    elif installed is None or not activity or not windows.start(package, activity):
        out(f"{NO_CLASS_ERROR_CODE}\n".encode())
        full = package + activity if activity.startswith(".") else activity
        out(f"Error: Activity class {{{package}/{full}}} does not exist.\n".encode())
        return 0
    system.screenshot()  # the first frame of the new activity is drawn
    took = max(1, round((time.monotonic() - started) * 1000))
    if wait:
        state = "HOT" if on_top else ("WARM" if before else "COLD")
        proc.print("Status: ok")
        proc.print(f"LaunchState: {state}")
        proc.print(f"Activity: {_short(intent.component)}")
        proc.print(f"TotalTime: {took}")
        proc.print(f"WaitTime: {took + 1}")
        proc.print("Complete")
    return 0


def monkey(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    package = (
        args[args.index("-p") + 1] if "-p" in args and args.index("-p") + 1 < len(args) else ""
    )
    found = system.packages.get(package)
    if not found or not found.component or not system.windows.start(*found.component.split("/", 1)):
        proc.print("** No activities found to run, monkey aborted.")
        return 252
    proc.print("Events injected: 1")
    proc.print("## Network stats: elapsed time=12ms (0ms mobile, 0ms wifi, 12ms not connected)")
    return 0


COMMANDS = {"am": am, "monkey": monkey}
