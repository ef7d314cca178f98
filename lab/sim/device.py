"""One virtual TOS+ device: the ADB listener, the emulated system, the serial console,
the uiautomator2 agent and the control socket, in one process of its own."""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

from lab.errors import LabError
from lab.runtime import process_identity
from lab.sim.adbd import auth
from lab.sim.adbd.packet import ProtocolError
from lab.sim.adbd.services import open_service
from lab.sim.adbd.socket_service import Acceptor
from lab.sim.adbd.transport import Transport
from lab.sim.agent.rpc import AgentMethods
from lab.sim.agent.server import AgentServer
from lab.sim.android.audio import PORT as AUDIO_PORT
from lab.sim.android.commands import COMMANDS
from lab.sim.android.nfc import NfcController
from lab.sim.android.system import AndroidSystem
from lab.sim.console import SerialConsole
from lab.sim.control import ControlServer
from lab.sim.faults import KINDS, Faults
from lab.sim.spec import DeviceSpec

log = logging.getLogger("device")

FEATURES = "shell_v2,cmd,stat_v2,ls_v2,fixed_push_mkdir,fixed_push_symlink_timestamp,apex"


class VirtualDevice:
    def __init__(self, spec: DeviceSpec, state_dir: Path, record_path: Path) -> None:
        self.spec = spec
        self.record_path = record_path
        self.faults = Faults()
        state_dir.mkdir(parents=True, exist_ok=True)
        self.console = SerialConsole(state_dir / "console.log") if spec.console else None
        self.system = AndroidSystem(
            spec,
            state_dir,
            self.faults,
            COMMANDS,
            kernel_log=self.console.kernel if self.console else (lambda line: None),
        )
        self.system.hooks = self
        self.nfc = NfcController(state_dir / "nfc.sock", self._hce) if spec.has("nfc") else None
        self._auth_keys = auth.load_keys(list(spec.authorized_keys)) if spec.auth_required else None
        self._agents: dict[int, AgentServer] = {}
        self._transports: set[Transport] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._rebooting = False
        self.stopped = threading.Event()
        self.control = ControlServer(record_path.with_suffix(".sock"), self._control)

    # -- life cycle
    def start(self) -> None:
        """The device's init and system server first: a userland that cannot start stops
        the device process here, with the reason in its log."""
        if self.console:
            self.console.serve()
            self.console.boot_log(
                self.spec.model, self.spec.platform, self.system.props.get("ro.build.fingerprint")
            )
        self.system.start_userland()
        if self.nfc:
            self.nfc.start()
        self._listen()
        self.control.serve()
        self._write_record()
        threading.Thread(target=self._boot, name="boot", daemon=True).start()
        threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True).start()

    def _hce(self):
        """The card the NFC controller answers with: the wallet's, while it shows its code."""
        wallet = self.system.wallet
        if wallet is None or self._rebooting or not wallet.in_pay_mode():
            return None
        return wallet.card

    def stop(self) -> None:
        self.stopped.set()
        if self.nfc:
            self.nfc.stop()
        self._close_listener()
        self._drop_transports()
        self.control.close()
        if self.console:
            self.console.stop()
        self.system.stop_userland()
        if self.record_path.exists():
            self.record_path.unlink()

    def _boot(self) -> None:
        self.system.log("I", "Zygote", "System server process has been created")
        time.sleep(self.spec.boot_seconds)
        if self.stopped.is_set():
            return
        self.system.props.set("sys.boot_completed", "1")
        self.system.props.set("dev.bootcomplete", "1")
        self.system.props.set("init.svc.bootanim", "stopped")  # the boot animation ends
        self.system.log("I", "ActivityManager", "System now ready")
        self.system.log("I", "BootReceiver", "Boot completed")
        if self.console:
            self.console.kernel("init: boot completed")
            self.console.start_shell(self._console_shell)

    def _console_shell(self, tty_fd: int):
        """init's `console` service (`service console /system/bin/sh`): the device's shell
        on its console tty, its argv[0] the path as init gives it (its messages say so)."""
        env = self.system.shell_env(HOSTNAME="console", TERM="vt100")
        argv = ["/system/bin/sh"]
        return self.system.zygote.spawn(argv, env=env, stdio=(tty_fd, tty_fd, tty_fd), pty=True)

    def reboot(self, reason: str) -> None:
        """Go down now (so `adb reboot; adb wait-for-device` cannot race us), boot later."""
        with self._lock:
            if self._rebooting:
                return
            self._rebooting = True
        log.info("rebooting (%s)", reason or "no reason")
        if self.console:
            self.console.stop_shell()
            self.console.kernel(f"reboot: Restarting system with command '{reason}'")
        self.system.props.set("sys.boot_completed", "0")
        self.system.props.set("dev.bootcomplete", "0")
        self.system.props.set("init.svc.bootanim", "running")
        for port in list(self._agents):
            self.stop_agent(port)
        self._close_listener()
        self._drop_transports()
        threading.Thread(target=self._come_back, name="reboot", daemon=True).start()

    def _come_back(self) -> None:
        self.system.stop_userland()  # every process of the device ends with its init
        time.sleep(self.spec.boot_seconds / 2)
        self.system.windows.reset()
        if self.console:
            self.console.boot_log(
                self.spec.model, self.spec.platform, self.system.props.get("ro.build.fingerprint")
            )
        try:
            self.system.start_userland()
        except LabError as exc:
            log.error("the device did not come back: %s", exc)
            self.stopped.set()
            return
        self._listen()
        with self._lock:
            self._rebooting = False
        self._boot()

    # -- ADB
    def _listen(self) -> None:
        for attempt in range(50):  # the old socket may linger for a moment after a reboot
            try:
                self._listener = socket.create_server(
                    (self.spec.host, self.spec.port), reuse_port=False, backlog=32
                )
                break
            except OSError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        threading.Thread(
            target=self._accept_loop, args=(self._listener,), name="adb-accept", daemon=True
        ).start()

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener:
            listener.close()

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self.stopped.is_set():
            try:
                sock, _ = listener.accept()
            except OSError:
                return
            if self.faults.active("drop-adb"):  # the cable is out: nobody gets through
                sock.close()
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            transport = Transport(
                sock,
                banner=self._banner,
                open_service=lambda transport, name: open_service(self, transport, name),
                auth_keys=self._auth_keys,
                before_send=self._maybe_slow,
            )
            with self._lock:
                self._transports.add(transport)
            threading.Thread(
                target=self._serve, args=(transport,), daemon=True, name=f"adb-{transport.peer}"
            ).start()

    def _serve(self, transport: Transport) -> None:
        try:
            transport.serve()
        except ProtocolError:
            pass
        finally:
            with self._lock:
                self._transports.discard(transport)

    def _drop_transports(self) -> None:
        with self._lock:
            transports = list(self._transports)
        for transport in transports:
            transport.close()

    def _maybe_slow(self) -> None:
        if self.faults.active("slow"):
            time.sleep(self.faults.value("slow", 0.2))

    def _banner(self) -> bytes:
        props = self.system.props
        return (
            f"device::ro.product.name={props.get('ro.product.name')};"
            f"ro.product.model={props.get('ro.product.model')};"
            f"ro.product.device={props.get('ro.product.device')};"
            f"features={FEATURES}"
        ).encode()

    # -- the uiautomator2 agent (system.hooks)
    def acceptor(self, port: int) -> Acceptor | None:
        if port == AUDIO_PORT and self.system.audio is not None:
            return self.system.audio.accept
        agent = self._agents.get(port)
        return agent.accept if agent else None

    def start_agent(self, port: int) -> bool:
        with self._lock:
            if port in self._agents:
                return False
            self._agents[port] = AgentServer(AgentMethods(self.system))
        self.system.log("I", "UiAutomator2Server", f"Starting Server on port {port}")
        return True

    def stop_agent(self, port: int) -> None:
        with self._lock:
            agent = self._agents.pop(port, None)
        if agent:
            agent.running = False
            self.system.log("I", "UiAutomator2Server", "Server stopped")

    def agent_running(self, port: int) -> bool:
        return port in self._agents

    def _heartbeat(self) -> None:
        while not self.stopped.wait(15):
            level = self.system.settings["battery"]
            if self.console:
                self.console.kernel(f"healthd: battery l={level} v=4100 t=25.0 h=2 st=2")
            self.system.log("D", "healthd", f"battery l={level} v=4100 t=25.0 h=2 st=2")

    # -- control socket
    def _control(self, request: dict[str, Any]) -> dict[str, Any]:
        command = request.get("cmd")
        if command == "status":
            return {"ok": True, **self.status()}
        if command == "fault":
            kind = str(request.get("kind"))
            if kind not in KINDS:
                return {"ok": False, "error": f"unknown fault {kind!r}; one of {', '.join(KINDS)}"}
            seconds = request.get("seconds")
            self._apply_fault(
                kind, float(seconds) if seconds else None, float(request.get("value") or 0)
            )
            return {"ok": True, "faults": self.faults.snapshot()}
        if command == "clear":
            self.faults.clear(request.get("kind"))
            return {"ok": True, "faults": self.faults.snapshot()}
        if command == "stop":
            threading.Timer(0.1, self.stopped.set).start()
            return {"ok": True}
        return {"ok": False, "error": f"unknown command {command!r}"}

    def _apply_fault(self, kind: str, seconds: float | None, value: float) -> None:
        log.warning("fault injected: %s (%s s)", kind, seconds or "until cleared")
        self.system.log("W", "FaultInjector", f"{kind} for {seconds or 'ever'} s")
        if kind == "drop-adb":
            self.faults.set(kind, seconds, value)
            self._drop_transports()
        elif kind == "reboot":
            self.reboot("fault")
        elif kind == "console-garbage":
            if self.console:
                self.console.garbage(int(value) or 256)
        else:
            self.faults.set(kind, seconds, value)

    def status(self) -> dict[str, Any]:
        return {
            "id": self.spec.id,
            "pid": os.getpid(),
            "serial": f"{self.spec.host}:{self.spec.port}",
            "console": self.console.path if self.console else None,
            "control": str(self.control.path),
            "boot_completed": self.system.props.get("sys.boot_completed") == "1",
            "uptime": round(self.system.uptime(), 1),
            "faults": self.faults.snapshot(),
            "adb_connections": len(self._transports),
            "agents": sorted(self._agents),
        }

    def _write_record(self) -> None:
        record = {
            **self.status(),
            "identity": process_identity(os.getpid()),
            "class": self.spec.device_class,
            "model": self.spec.model,
            "started": time.time(),
        }
        temporary = self.record_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(record, indent=2))
        temporary.replace(self.record_path)
