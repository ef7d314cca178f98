"""An APK is a ZIP: before anything inflates one (androguard reads its manifest, apksigner
digests every entry for the v1 scheme), its central directory says how big each entry
claims to be. A zip bomb claims little on disk and much inflated; these limits refuse it
from that directory alone. Python's zipfile stops at an entry's claimed size (and fails
its CRC if the entry lied), so checking the claims bounds what a reader inflates."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lab.apk.facts import ApkUnreadable

MAX_ENTRIES = 20_000  # large real apps carry a few thousand
MAX_INFLATED = 1 << 30  # every entry inflated, together
MAX_MANIFEST = 8 << 20  # AndroidManifest.xml, inflated (real ones: tens of KiB)
MAX_RATIO = 100  # inflated / stored, for an entry over RATIO_FROM (text packs 5-10x)
RATIO_FROM = 1 << 20


class ApkRefused(ApkUnreadable):
    """An archive the store will not inflate: too many entries, or too big inflated."""


def check_archive(path: Path) -> None:
    """Refuse `path` unless its central directory is within the limits (nothing is
    inflated here)."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ApkUnreadable(f"{path.name}: not a ZIP archive ({exc})") from None
    if len(entries) > MAX_ENTRIES:
        raise ApkRefused(f"{path.name}: {len(entries)} entries, more than {MAX_ENTRIES}")
    total = sum(entry.file_size for entry in entries)
    if total > MAX_INFLATED:
        raise ApkRefused(
            f"{path.name}: its entries inflate to {total >> 20} MiB, more than "
            f"{MAX_INFLATED >> 20} MiB"
        )
    for entry in entries:
        if entry.filename == "AndroidManifest.xml" and entry.file_size > MAX_MANIFEST:
            raise ApkRefused(
                f"{path.name}: AndroidManifest.xml inflates to {entry.file_size >> 20} MiB"
            )
        if entry.file_size > RATIO_FROM and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise ApkRefused(
                f"{path.name}: {entry.filename} inflates {entry.compress_size} bytes to "
                f"{entry.file_size} (over {MAX_RATIO}x: a zip bomb?)"
            )
