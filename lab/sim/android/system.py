"""One emulated TOS+ system: the state every service, command and app shares, and its
userland (init, the system server, the files and the processes of the device)."""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from PIL import Image

from lab.sim.android.audio import AudioPort
from lab.sim.android.camera import Camera
from lab.sim.android.features import device_features
from lab.sim.android.installer import Installer
from lab.sim.android.logcat import LogBuffer
from lab.sim.android.packages import ARCADE, ASSISTANT, REMOTE, STORE, WALLET, PackageManager
from lab.sim.android.processes import SYSTEM_PROCESSES, ProcessTable
from lab.sim.android.props import Props, default_props
from lab.sim.apps.arcade.app import ArcadeApp
from lab.sim.apps.arcade.service import ArcadeService
from lab.sim.apps.assistant.app import AssistantApp
from lab.sim.apps.assistant.service import AssistantService
from lab.sim.apps.remote.app import RemoteApp
from lab.sim.apps.remote.service import RemoteService
from lab.sim.apps.store.app import StoreApp
from lab.sim.apps.store.service import StoreService
from lab.sim.apps.wallet.app import WalletApp
from lab.sim.apps.wallet.service import WalletService
from lab.sim.faults import Faults
from lab.sim.spec import DeviceSpec
from lab.sim.ui.activity import HOME
from lab.sim.ui.window_manager import WindowManager
from lab.sim.userland.device_root import prepare_root
from lab.sim.userland.files import DeviceFiles
from lab.sim.userland.proc import Proc
from lab.sim.userland.system_server import SystemServer
from lab.sim.userland.zygote import Zygote

log = logging.getLogger("system")
BUILTIN_IME = "com.tos.inputmethod/.LatinIME"

PATH = (
    "/product/bin:/apex/com.android.runtime/bin:/apex/com.android.art/bin:/system_ext/bin:"
    "/system/bin:/system/xbin:/odm/bin:/vendor/bin:/vendor/xbin"
)
SHELL_ENV = {  # what adbd gives a shell (adb/daemon/shell_service.cpp), and init's globals
    "PATH": PATH,
    "HOME": "/",
    "SHELL": "/system/bin/sh",
    "USER": "shell",
    "LOGNAME": "shell",
    "TMPDIR": "/data/local/tmp",
    "EXTERNAL_STORAGE": "/sdcard",
    "ANDROID_DATA": "/data",
    "ANDROID_ROOT": "/system",
    "ANDROID_STORAGE": "/storage",
    "ENV": "/system/etc/mkshrc",  # read by interactive shells only
}


# a shell command of the device: (the system, the process) -> exit status
Command = Callable[["AndroidSystem", Proc], int]


class Hooks(Protocol):
    """What the system asks of the device process around it."""

    def reboot(self, reason: str) -> None: ...
    def start_agent(self, port: int) -> bool: ...
    def stop_agent(self, port: int) -> None: ...
    def agent_running(self, port: int) -> bool: ...


class AndroidSystem:
    def __init__(
        self,
        spec: DeviceSpec,
        state_dir: Path,
        faults: Faults,
        commands: Mapping[str, Command],
        kernel_log: Callable[[str], None] = lambda line: None,
    ) -> None:
        self.commands = commands  # what its shell can run (lab.sim.android.commands)
        self.spec = spec
        self.faults = faults
        self.kernel_log = kernel_log
        self.state_dir = state_dir
        self.props = Props(default_props(spec))
        self.logcat = LogBuffer()
        built_in = [WALLET] if spec.has("payment") else []
        built_in += [STORE] if spec.has("store") else []
        built_in += [ASSISTANT] if spec.has("voice") else []
        built_in += [ARCADE] if spec.has("game_host") else []
        built_in += [REMOTE] if spec.has("gamepad") and spec.has("camera") else []
        self.packages = PackageManager(tuple(built_in))
        self.features = device_features(spec)
        self.settings: dict[str, object] = {
            "wifi": True,
            "nfc": spec.has("nfc"),
            "brightness": 128,  # 0-255, as Settings.System.SCREEN_BRIGHTNESS
            "language": "en",
            "battery": 87,
            "charging": True,
            "device_name": spec.model,
        }
        # the settings provider's rows beyond those the UI shows (see commands/props.py)
        self.settings_db: dict[str, dict[str, str]] = {
            "system": {"screen_brightness_mode": "0", "screen_off_timeout": "60000"},
            "secure": {
                "default_input_method": BUILTIN_IME,
                "android_id": hashlib.sha256(spec.serialno.encode()).hexdigest()[:16],
            },
            "global": {"adb_enabled": "1", "device_provisioned": "1", "airplane_mode_on": "0"},
        }
        self.root = state_dir / "root"
        prepare_root(self.root)
        image = Path(spec.system_image)
        self.zygote = Zygote(image / "bin" / "tosbox", self.root, image, state_dir / "init.sock")
        self.files = DeviceFiles(self.zygote)
        self.processes = ProcessTable(self.zygote, on_death=self._process_died)
        self.server = SystemServer(self.root / "dev/socket/tos_system", self.run_command)
        self.windows = WindowManager(self)
        self.installer = Installer(
            self.packages, self.features, self.files, self.windows, self.log, state_dir
        )
        self.camera = Camera(self.root) if spec.has("camera") else None
        self.wallet: WalletService | None = None
        if spec.has("payment"):
            self.wallet = WalletService(self, state_dir / "wallet")
            self.windows.register(WalletApp(self.wallet, camera=self.camera is not None))
        # the microphone and speaker, reached over adb (lab/sim/android/audio.py)
        self.audio = AudioPort() if spec.has("microphone") or spec.has("speaker") else None
        self.assistant: AssistantService | None = None
        if spec.has("voice") and self.audio is not None:
            self.assistant = AssistantService(self, self.audio, spec.device_class)
            self.windows.register(AssistantApp(self.assistant))
        self.arcade: ArcadeService | None = None
        if spec.has("game_host"):
            self.arcade = ArcadeService(self, spec.id)
            self.windows.register(ArcadeApp(self.arcade))
        self.remote: RemoteService | None = None
        if spec.has("gamepad") and self.camera is not None:
            self.remote = RemoteService(self, spec.id)
            self.windows.register(RemoteApp(self.remote))
        self.store: StoreService | None = None
        if spec.has("store"):
            self.store = StoreService(self, state_dir / "store")
            self.windows.register(StoreApp(self.store))
        self.clipboard: str | None = None
        self.started = time.monotonic()
        self.boot_time = time.time()
        self.hooks: Hooks | None = None
        self._frame_lock = threading.Lock()
        self._frame_key: tuple | None = None
        self._frame: Image.Image | None = None
        self._png: bytes | None = None

    # -- the DeviceState protocol apps see
    def log(self, priority: str, tag: str, message: str, pid: int = 1000) -> None:
        self.logcat.log(priority, tag, message, pid)

    # -- life cycle of the userland
    def start_userland(self) -> None:
        """init (PID 1 of the device), the system server, then the processes a booted
        device runs (system services, the launcher)."""
        self.zygote.start(self.state_dir / "init.log")
        self.server.start()
        self.started = time.monotonic()
        self.boot_time = time.time()
        for name in SYSTEM_PROCESSES:
            self.processes.start(name)
        self.processes.start(HOME[0])
        if self.wallet is not None:  # a persistent app: its service runs from boot
            self.processes.start(WALLET.name)
            self.wallet.start()
        if self.store is not None:  # so is the store's (its downloads resume at boot)
            self.processes.start(STORE.name)
            self.store.start()
        if self.arcade is not None:  # the game listens for phones from boot
            self.processes.start(ARCADE.name)
            self.arcade.start()

    def stop_userland(self) -> None:
        if self.arcade is not None:
            self.arcade.stop()
        if self.wallet is not None:
            self.wallet.stop()
        if self.store is not None:
            self.store.stop()
        self.processes.forget_all()
        self.server.stop()
        self.zygote.stop()

    def _process_died(self, name: str, pid: int) -> None:
        self.log("I", "ActivityManager", f"Process {name} (pid {pid}) has died")
        if self.packages.get(name) is not None:
            self.windows.drop_package(name)
            if name == HOME[0]:  # the home app always comes back
                self.processes.start(name)

    # -- input methods (the Keyboard protocol of lab.sim.apps.adb_keyboard)
    def input_methods(self) -> list[str]:
        """Ids (`pkg/.Service`) of the built-in keyboard and of installed ones."""
        found = [BUILTIN_IME]
        for package in self.packages.all():
            for service in package.input_methods:
                short = (
                    service.removeprefix(package.name)
                    if service.startswith(package.name + ".")
                    else service
                )
                found.append(f"{package.name}/{short}")
        return found

    def current_ime(self) -> str:
        return self.settings_db["secure"].get("default_input_method", BUILTIN_IME)

    def type_text(self, text: str) -> bool:
        return self.windows.text(text)

    def clear_text(self) -> bool:
        return self.windows.clear_input()

    def hide_keyboard(self) -> None:
        self.windows.ime_shown = False
        self.windows.refresh()

    # -- packages, for the store app (the Host protocol of lab.sim.apps.store)
    def installed_version(self, package: str) -> int | None:
        found = self.packages.get(package)
        return found.version_code if found else None

    def install_apk(self, data: bytes) -> str | None:
        return self.installer.install(data)

    def uninstall_package(self, package: str) -> bool:
        return self.installer.uninstall(package)

    # -- the network and the camera (what the wallet reaches)
    def online(self) -> bool:
        """Wi-Fi on and not in airplane mode (`svc wifi`, `cmd connectivity airplane-mode`)."""
        airplane = self.settings_db["global"].get("airplane_mode_on", "0") == "1"
        return bool(self.settings.get("wifi")) and not airplane

    def camera_frame(self):
        return self.camera.frame() if self.camera is not None else None

    # -- what the device process around the system does
    def request_reboot(self, reason: str = "") -> None:
        if self.hooks:
            self.hooks.reboot(reason)

    def start_agent(self, port: int) -> bool:
        return bool(self.hooks and self.hooks.start_agent(port))

    def stop_agent(self, port: int) -> None:
        if self.hooks:
            self.hooks.stop_agent(port)

    def agent_running(self, port: int) -> bool:
        return bool(self.hooks and self.hooks.agent_running(port))

    # -- commands (the system server's calls)
    def run_command(self, proc: Proc) -> int:
        name = proc.name
        if name == "app_process64":
            name = "app_process"
        runner = self.commands.get(name)
        if runner is None:
            return proc.fail("inaccessible or not found", 127)
        return runner(self, proc)

    def shell_env(self, **extra: str) -> dict[str, str]:
        return {**SHELL_ENV, **extra}

    # -- display
    def screenshot(self) -> Image.Image:
        """The panel as the display shows it now (cached until something changes)."""
        if self.faults.active("black-screen"):
            width, height = self.windows.display_size()
            return Image.new("RGB", (width, height), (0, 0, 0))
        key = (
            self.windows.version,
            time.strftime("%H:%M"),
            self.settings.get("battery"),
            self.windows.screen_on,
        )
        with self._frame_lock:
            if key != self._frame_key or self._frame is None:
                self._frame = self.windows.frame()
                self._frame_key = key
                self._png = None
            return self._frame

    def screenshot_png(self) -> bytes:
        frame = self.screenshot()
        with self._frame_lock:
            if self._png is not None and frame is self._frame:
                return self._png
        buffer = io.BytesIO()
        # compress_level 1: 3-5x faster than the default for a few % more bytes
        frame.save(buffer, format="PNG", compress_level=1)
        png = buffer.getvalue()
        with self._frame_lock:
            if frame is self._frame:
                self._png = png
        return png

    def uptime(self) -> float:
        return time.monotonic() - self.started
