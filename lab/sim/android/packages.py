"""Installed packages: the system apps plus whatever `adb install` brings."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from lab.sim.android.apk import ApkInfo


@dataclass
class Package:
    name: str
    version_code: int
    version_name: str
    label: str
    launcher_activity: str | None
    path: str
    system: bool = False

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
    ),
    Package(
        "com.tos.settings",
        120,
        "1.2.0",
        "Settings",
        "com.tos.settings.Settings",
        "/system/priv-app/Settings/Settings.apk",
        True,
    ),
)


class PackageManager:
    def __init__(self) -> None:
        self._packages = {p.name: p for p in SYSTEM_PACKAGES}
        self._lock = threading.Lock()

    def get(self, name: str) -> Package | None:
        with self._lock:
            return self._packages.get(name)

    def all(self) -> list[Package]:
        with self._lock:
            return sorted(self._packages.values(), key=lambda p: p.name)

    def install(self, info: ApkInfo, path: str, replace: bool) -> str | None:
        """None on success, else Android's failure code."""
        with self._lock:
            old = self._packages.get(info.package)
            if old and old.system:
                return "INSTALL_FAILED_DUPLICATE_PACKAGE"
            if old and not replace:
                return "INSTALL_FAILED_ALREADY_EXISTS"
            if old and info.version_code < old.version_code:
                return "INSTALL_FAILED_VERSION_DOWNGRADE"
            self._packages[info.package] = Package(
                info.package,
                info.version_code,
                info.version_name,
                info.label,
                info.launcher_activity,
                path,
            )
        return None

    def uninstall(self, name: str) -> Package | None:
        with self._lock:
            package = self._packages.get(name)
            if package is None or package.system:
                return None
            return self._packages.pop(name)
