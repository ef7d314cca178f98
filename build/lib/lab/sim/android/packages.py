"""Installed packages: the system apps plus whatever `adb install` brings, with Android's
rules for an update (same signer, no downgrade)."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from lab.sim.android.apk import ApkInfo

# the build's platform key: what the system apps are signed with
PLATFORM_SIGNER = hashlib.sha256(b"TOS+ 1.2 platform key").hexdigest()


@dataclass
class Package:
    name: str
    version_code: int
    version_name: str
    label: str
    launcher_activity: str | None
    path: str
    system: bool = False
    activities: tuple[str, ...] = ()  # full class names
    uid: int = 1000
    input_methods: tuple[str, ...] = ()  # its input method services (full class names)
    signers: tuple[str, ...] = (PLATFORM_SIGNER,)  # certificate SHA-256 digests
    min_sdk: int = 26
    features: tuple[str, ...] = ()
    installed_at: float = 0.0  # first install
    updated_at: float = 0.0  # this version's install

    def has_activity(self, name: str) -> bool:
        """`name` short (.Settings) or full (com.tos.settings.Settings)."""
        full = self.name + name if name.startswith(".") else name
        return full in self.activities

    @property
    def component(self) -> str | None:
        if not self.launcher_activity:
            return None
        activity = self.launcher_activity
        short = (
            activity.removeprefix(self.name) if activity.startswith(self.name + ".") else activity
        )
        return f"{self.name}/{short}"


SYSTEM_PACKAGES = (
    Package(
        "android", 33, "13", "Android System", None, "/system/framework/framework-res.apk", True
    ),
    Package(
        "com.tos.systemui",
        120,
        "1.2.0",
        "System UI",
        None,
        "/system/priv-app/SystemUI/SystemUI.apk",
        True,
    ),
    Package(
        "com.tos.launcher",
        120,
        "1.2.0",
        "Home",
        "com.tos.launcher.Home",
        "/system/priv-app/Launcher/Launcher.apk",
        True,
        ("com.tos.launcher.Home",),
    ),
    Package(
        "com.tos.settings",
        120,
        "1.2.0",
        "Settings",
        "com.tos.settings.Settings",
        "/system/priv-app/Settings/Settings.apk",
        True,
        (
            "com.tos.settings.Settings",
            "com.tos.settings.About",
            "com.tos.settings.Language",
            "com.tos.settings.DeviceName",
        ),
    ),
)


WALLET = Package(
    "com.tos.wallet",
    120,
    "1.2.0",
    "Wallet",
    "com.tos.wallet.Wallet",
    "/system/priv-app/Wallet/Wallet.apk",
    True,
    tuple(
        f"com.tos.wallet.{name}"
        for name in ("Wallet", "PayCode", "PinPad", "Result", "Scan", "Confirm", "Transactions")
    ),
)


STORE = Package(
    "com.tos.store",
    120,
    "1.2.0",
    "Store",
    "com.tos.store.Store",
    "/system/priv-app/Store/Store.apk",
    True,
    ("com.tos.store.Store", "com.tos.store.Details"),
)


ASSISTANT = Package(
    "com.tos.assistant",
    120,
    "1.2.0",
    "Assistant",
    None,  # started by the wake phrase, not from the launcher
    "/system/priv-app/Assistant/Assistant.apk",
    True,
    ("com.tos.assistant.Listening", "com.tos.assistant.Card"),
)


ARCADE = Package(
    "com.tos.arcade",
    120,
    "1.2.0",
    "Arcade",
    "com.tos.arcade.Pair",
    "/system/app/Arcade/Arcade.apk",
    True,
    ("com.tos.arcade.Pair", "com.tos.arcade.Game", "com.tos.arcade.Unlock"),
)


REMOTE = Package(
    "com.tos.remote",
    120,
    "1.2.0",
    "Remote",
    "com.tos.remote.Remote",
    "/system/app/Remote/Remote.apk",
    True,
    ("com.tos.remote.Remote", "com.tos.remote.Scan", "com.tos.remote.Pad"),
)


class PackageManager:
    def __init__(self, extra_system: tuple[Package, ...] = ()) -> None:
        self._packages = {p.name: p for p in (*SYSTEM_PACKAGES, *extra_system)}
        self._lock = threading.Lock()
        self._next_uid = 10000

    def get(self, name: str) -> Package | None:
        with self._lock:
            return self._packages.get(name)

    def all(self) -> list[Package]:
        with self._lock:
            return sorted(self._packages.values(), key=lambda p: p.name)

    def check_install(self, info: ApkInfo, signers: tuple[str, ...], replace: bool = True):
        """None when `info` may be installed, else Android's failure: code and message."""
        with self._lock:
            return self._refusal(info, signers, replace)

    def _refusal(self, info: ApkInfo, signers: tuple[str, ...], replace: bool) -> str | None:
        old = self._packages.get(info.package)
        if old is None:
            return None
        if old.system:
            return "INSTALL_FAILED_DUPLICATE_PACKAGE: a system package has this name"
        if not replace:
            return (
                f"INSTALL_FAILED_ALREADY_EXISTS: Attempt to re-install {info.package} "
                "without first uninstalling."
            )
        if set(signers) != set(old.signers):
            return (
                f"INSTALL_FAILED_UPDATE_INCOMPATIBLE: Package {info.package} signatures do not "
                "match previously installed version; ignoring!"
            )
        if info.version_code < old.version_code:
            return (
                f"INSTALL_FAILED_VERSION_DOWNGRADE: Downgrade detected: Update version code "
                f"{info.version_code} is older than current {old.version_code}"
            )
        return None

    def install(
        self, info: ApkInfo, path: str, signers: tuple[str, ...], replace: bool = True
    ) -> str | None:
        """None on success, else Android's failure (code: message)."""
        with self._lock:
            refusal = self._refusal(info, signers, replace)
            if refusal:
                return refusal
            old = self._packages.get(info.package)
            if old:
                uid = old.uid
            else:
                uid, self._next_uid = self._next_uid, self._next_uid + 1
            self._packages[info.package] = Package(
                info.package,
                info.version_code,
                info.version_name,
                info.label,
                info.launcher_activity,
                path,
                activities=info.activities,
                uid=uid,
                input_methods=info.input_methods,
                signers=signers,
                min_sdk=info.min_sdk,
                features=info.features,
                installed_at=old.installed_at if old else time.time(),
                updated_at=time.time(),
            )
        return None

    def uninstall(self, name: str) -> Package | None:
        with self._lock:
            package = self._packages.get(name)
            if package is None or package.system:
                return None
            return self._packages.pop(name)
