"""System commands: reboot, app_process (the uiautomator2 agent), bugreport(z), log, ime,
svc, service and cmd (which routes to the services' own shell commands)."""

from __future__ import annotations

import io
import time
import zipfile
from typing import TYPE_CHECKING

from lab.sim.userland.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem

U2_MAIN = "com.wetest.uia2.Main"
SERVICES = (
    "activity", "package", "window", "input", "settings", "display", "battery", "power",
    "connectivity",
)  # fmt: skip


def reboot(system: AndroidSystem, proc: Proc) -> int:
    reason = next((a for a in proc.args[1:] if not a.startswith("-")), "")
    system.request_reboot(reason)
    proc.sleep(30)  # as on a device: the caller is killed by the reboot itself
    return 0


def app_process(system: AndroidSystem, proc: Proc) -> int:
    """Only the uiautomator2 agent's main class runs here; it lives as long as its
    process (the shell that launched it) does."""
    args = proc.args[1:]
    classpath = proc.env.get("CLASSPATH", "")
    main = next((a for a in args if not a.startswith("-") and a != "/"), "")
    if not classpath:
        return proc.fail("Error: no CLASSPATH set (usage: CLASSPATH=JAR app_process DIR CLASS)")
    try:
        for jar in classpath.split(":"):
            proc.open(jar).close()  # as the caller: a missing or unreadable jar fails here
    except OSError as exc:
        proc.err(
            f"java.lang.ClassNotFoundException: {main} ({exc.filename}: {exc.strerror})\n".encode()
        )
        return 1
    if main != U2_MAIN:
        proc.err(
            f"java.lang.ClassNotFoundException: {main or '(no class)'}: this virtual device "
            f"runs only the uiautomator2 agent ({U2_MAIN})\n".encode()
        )
        return 1
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


def bugreportz(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    if "-v" in args:
        proc.err(b"bugreportz 1.2\n")  # real bugreportz prints its version to stderr
        return 0
    name = (
        f"bugreport-{system.props.get('ro.product.device')}-{system.props.get('ro.build.id')}-"
        f"{time.strftime('%Y-%m-%d-%H-%M-%S')}.zip"
    )
    path = f"/bugreports/{name}"
    if "-p" in args:
        proc.print(f"BEGIN:{path}")
    data = _bugreport_zip(system, name.removesuffix(".zip"))
    try:
        system.files.write_bytes(path, data)
    except OSError as exc:
        proc.print(f"FAIL:could not write {path}: {exc.strerror}")
        return 1
    proc.print(f"OK:{path}")
    return 0


def bugreport(system: AndroidSystem, proc: Proc) -> int:
    proc.out(_bugreport_text(system).encode())
    return 0


def _bugreport_text(system: AndroidSystem) -> str:
    lines = ["=" * 50, "== dumpstate: " + time.strftime("%Y-%m-%d %H:%M:%S"), "=" * 50, ""]
    lines.append(f"Build fingerprint: '{system.props.get('ro.build.fingerprint')}'")
    lines.append(f"Uptime: up {system.uptime():.0f} s")
    lines.append("------ SYSTEM PROPERTIES ------")
    lines += [f"[{k}]: [{v}]" for k, v in system.props.items()]
    lines.append("------ SYSTEM LOG (logcat -v threadtime -d *:v) ------")
    lines += [e.format() for e in system.logcat.since(0)]
    lines.append("------ PROCESSES ------")
    lines += [f"{pid:6d} {name}" for name, pid in sorted(system.processes.running().items())]
    return "\n".join(lines) + "\n"


def _bugreport_zip(system: AndroidSystem, stem: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.txt", _bugreport_text(system))
        archive.writestr("version.txt", "2.0")
        archive.writestr("main_entry.txt", f"{stem}.txt")
    return buffer.getvalue()


def log_command(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    priority, tag, words = "I", "log", []
    index = 0
    while index < len(args):
        if args[index] == "-p" and index + 1 < len(args):
            priority = args[index + 1][:1].upper()
            index += 2
        elif args[index] == "-t" and index + 1 < len(args):
            tag = args[index + 1]
            index += 2
        else:
            words.append(args[index])
            index += 1
    if priority not in "VDIWEF":
        return proc.fail(f"unknown priority {priority!r}")
    system.log(priority, tag, " ".join(words), pid=proc.pid or 1000)
    return 0


def ime(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    verb = args[0] if args else ""
    target = args[-1] if len(args) > 1 else ""
    imes = system.input_methods()
    if verb == "list":
        for name in imes:
            proc.print(name if "-s" in args else f"{name}:\n  mId={name}")
        return 0
    if verb in ("enable", "set", "disable"):
        if target not in imes:
            proc.err(f"Unknown input method {target} cannot be {verb}d for user #0\n".encode())
            return 255
        if verb == "set":
            system.settings_db["secure"]["default_input_method"] = target
            proc.print(f"Input method {target} selected for user #0")
        else:
            proc.print(f"Input method {target}: already {verb}d for user #0")
        return 0
    return proc.fail("usage: ime list [-a] [-s] | enable|disable|set ID")


def svc(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    if args[:1] == ["wifi"] and args[1:2] in (["enable"], ["disable"]):
        system.settings["wifi"] = args[1] == "enable"
        system.windows.refresh()
        return 0
    if args[:1] == ["nfc"] and args[1:2] in (["enable"], ["disable"]):
        if not system.spec.has("nfc"):
            return proc.fail("svc nfc: this device has no NFC controller")
        system.settings["nfc"] = args[1] == "enable"
        return 0
    if args[:1] == ["power"] and args[1:2] == ["stayon"]:
        return 0
    return proc.fail("usage: svc wifi|nfc enable|disable | power stayon true|false")


def service(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    if args[:1] == ["list"]:
        proc.print(f"Found {len(SERVICES)} services:")
        for index, name in enumerate(SERVICES):
            proc.print(f"{index}\t{name}: []")
        return 0
    if args[:1] == ["check"] and len(args) > 1:
        proc.print(f"Service {args[1]}: {'found' if args[1] in SERVICES else 'not found'}")
        return 0
    return proc.fail("usage: service list | check SERVICE")


def cmd(system: AndroidSystem, proc: Proc) -> int:
    """`cmd SERVICE ...`: the service's shell command (what `adb install` calls)."""
    args = proc.args[1:]
    if args[:1] == ["-l"]:
        proc.print("List of services:")
        for name in SERVICES:
            proc.print(f"  {name}")
        return 0
    routes = {"activity": "am", "package": "pm", "window": "wm", "settings": "settings"}
    routes["input"] = "input"
    if args[:1] == ["connectivity"]:
        return _connectivity(system, proc, args[1:])
    if not args or args[0] not in routes:
        proc.err(f"cmd: Can't find service: {args[0] if args else ''}\n".encode())
        return 20
    proc.args = [routes[args[0]], *args[1:]]
    return system.commands[routes[args[0]]](system, proc)


def _connectivity(system: AndroidSystem, proc: Proc, args: list[str]) -> int:
    """`cmd connectivity airplane-mode [enable|disable]` (Android 11+)."""
    rows = system.settings_db["global"]
    if args == ["airplane-mode"]:
        proc.print("enabled" if rows.get("airplane_mode_on") == "1" else "disabled")
        return 0
    if args[:1] == ["airplane-mode"] and args[1:] in (["enable"], ["disable"]):
        rows["airplane_mode_on"] = "1" if args[1] == "enable" else "0"
        system.log("I", "ConnectivityService", f"airplane mode {args[1]}d")
        system.windows.refresh()
        return 0
    return proc.fail("usage: cmd connectivity airplane-mode [enable|disable]")


COMMANDS = {
    "reboot": reboot,
    "app_process": app_process,
    "bugreportz": bugreportz,
    "bugreport": bugreport,
    "log": log_command,
    "ime": ime,
    "svc": svc,
    "service": service,
    "cmd": cmd,
}
