"""What an APK says about itself, read with androguard (the store reads uploads with it;
tests check with it that the lab's APKs parse as any APK tool would read them)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from lab.errors import LabError


class ApkUnreadable(LabError):
    """Not an APK, or its manifest cannot be read."""


@dataclass(frozen=True)
class ApkFacts:
    package: str
    version_code: int
    version_name: str
    label: str
    min_sdk: int
    target_sdk: int
    features: tuple[str, ...]  # required uses-feature names
    permissions: tuple[str, ...]
    launcher_activity: str | None
    size: int


def read_facts(path: Path | str) -> ApkFacts:
    from androguard.core.apk import APK  # a heavy import: only when an APK is read
    from loguru import logger

    logger.disable("androguard")  # it logs every chunk it parses at DEBUG
    logging.getLogger("androguard").setLevel(logging.WARNING)
    path = Path(path)
    try:
        apk = APK(str(path))
        package = apk.get_package()
        version_code = int(apk.get_androidversion_code() or 0)
    except Exception as exc:  # androguard raises many kinds on a broken file
        raise ApkUnreadable(f"{path.name}: not a readable APK ({type(exc).__name__})") from None
    if not package or not apk.is_valid_APK():
        raise ApkUnreadable(f"{path.name}: no AndroidManifest.xml with a package name")
    required = [name for name in apk.get_features() if _required(apk, name)]
    return ApkFacts(
        package=package,
        version_code=version_code,
        version_name=apk.get_androidversion_name() or "",
        label=apk.get_app_name() or package,
        min_sdk=int(apk.get_min_sdk_version() or 1),
        target_sdk=int(apk.get_target_sdk_version() or apk.get_min_sdk_version() or 1),
        features=tuple(sorted(required)),
        permissions=tuple(sorted(apk.get_permissions())),
        launcher_activity=apk.get_main_activity(),
        size=path.stat().st_size,
    )


def _required(apk, feature: str) -> bool:
    """uses-feature is required unless it says android:required="false"."""
    for node in apk.get_android_manifest_xml().iter("uses-feature"):
        values = {key.rsplit("}", 1)[-1]: value for key, value in node.attrib.items()}
        if values.get("name") == feature:
            return values.get("required", "true") != "false"
    return True
