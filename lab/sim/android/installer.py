"""Installing and removing packages as Android's PackageManager does: `pm install` (and
`cmd package install`, what `adb install` sends) and the store app both come here, so an
APK meets the same checks in the same order whichever way it arrives."""

from __future__ import annotations

import itertools
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from lab.apk.signature import SignatureInvalid, verify
from lab.errors import LabError
from lab.sim.android.apk import ApkError, read_apk
from lab.sim.android.packages import PackageManager
from lab.sim.android.props import SDK
from lab.sim.userland.files import DeviceFiles

MAX_APK = 512 << 20  # refuse bigger, rather than hold them in memory
_PACKAGE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+")
_sessions = itertools.count(1_000_001)  # install session ids, as in vmdl<id>.tmp
Log = Callable[[str, str, str], None]  # priority, tag, message


class Launcher(Protocol):
    """What an install changes on screen: the launcher's icons, an app's process."""

    def refresh(self) -> None: ...
    def force_stop(self, package: str) -> None: ...


class Installer:
    def __init__(
        self,
        packages: PackageManager,
        features: set[str] | frozenset[str],
        files: DeviceFiles,
        launcher: Launcher,
        log: Log,
        staging: Path,
    ) -> None:
        self.packages = packages
        self.features = features
        self.files = files
        self.launcher = launcher
        self.log = log
        self.staging = staging  # a host folder where an APK is staged to check its signature

    def install(self, data: bytes) -> str | None:
        """None, or Android's failure (`CODE: message`). Android's checks in its order:
        size, parse, package name, certificates, SDK, features, then the rules for an
        update; the APK lands before the package is registered, so it is never
        half-installed."""
        if len(data) > MAX_APK:
            return f"INSTALL_FAILED_INSUFFICIENT_STORAGE: larger than {MAX_APK >> 20} MiB"
        try:
            info = read_apk(data)
        except ApkError as exc:
            return str(exc)
        if not _PACKAGE_NAME.fullmatch(info.package):
            return f"INSTALL_PARSE_FAILED_BAD_PACKAGE_NAME: {info.package!r}"
        session = next(_sessions)
        try:
            signers = self._certificates(data)
        except SignatureInvalid as exc:
            return (
                "INSTALL_PARSE_FAILED_NO_CERTIFICATES: Failed to collect certificates from "
                f"/data/app/vmdl{session}.tmp/base.apk: {exc.message}"
            )
        except LabError as exc:  # no verifier on this host: the device cannot install
            return f"INSTALL_FAILED_INTERNAL_ERROR: {exc.message}"
        if info.min_sdk > SDK:
            return (
                f"INSTALL_FAILED_OLDER_SDK: Requires newer sdk version #{info.min_sdk} "
                f"(current version is #{SDK})"
            )
        missing = [name for name in info.features if name not in self.features]
        if missing:
            return (
                f"INSTALL_FAILED_MISSING_FEATURE: Package {info.package} requires unavailable "
                f"feature {missing[0]}; "
            )
        failure = self.packages.check_install(info, signers)
        if failure:
            return failure
        folder = f"/data/app/{info.package}-1"
        path = f"{folder}/base.apk"
        try:
            self.files.mkdirs(folder)
            self.files.write_bytes(path, data)
        except OSError as exc:
            return f"INSTALL_FAILED_INTERNAL_ERROR: {exc.strerror}"
        failure = self.packages.install(info, path, signers)
        if failure:  # another install of this package won meanwhile
            return failure
        self.log("I", "PackageManager", f"Installed {info.package} version {info.version_name}")
        self.launcher.refresh()  # the launcher shows the new app
        return None

    def uninstall(self, name: str) -> bool:
        """Remove an installed (not a system) package: its process, its files, its icon."""
        removed = self.packages.uninstall(name)
        if removed is None:
            return False
        self.launcher.force_stop(removed.name)
        try:
            self.files.remove(removed.path.rsplit("/", 1)[0])
        except OSError as exc:
            self.log("W", "PackageManager", f"could not remove {removed.path}: {exc}")
        self.log("I", "PackageManager", f"Removed package {removed.name}")
        self.launcher.refresh()
        return True

    def _certificates(self, data: bytes) -> tuple[str, ...]:
        """The APK's signers, checked by apksig (apksigner) as this device's API level
        would, on a staged copy (Android stages an install in /data/app/vmdl*.tmp)."""
        with tempfile.NamedTemporaryFile(dir=self.staging, suffix=".apk") as staged:
            staged.write(data)
            staged.flush()
            return verify(staged.name, min_sdk=SDK).digests
