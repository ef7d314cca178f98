"""A developer's upload: streamed to disk up to its cap (never held in memory), its ZIP
directory checked before anything inflates it (lab/apk/archive.py), then read
(androguard) and its signature checked (apksig); it must be the app's package, signed by
the app's key, with a versionCode above every earlier one. The bytes are kept under their
SHA-256 name only while a version refers to them: a refused upload leaves nothing."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lab.apk.archive import ApkRefused, check_archive
from lab.apk.facts import ApkFacts, ApkUnreadable, read_facts
from lab.apk.signature import SignatureInvalid, verify
from lab.services.db import LOCK
from lab.services.errors import ApiError
from lab.services.principal import Principal
from lab.services.store.models import App, Version

MAX_APK = 200 << 20
# one upload at a time places and removes blobs: two uploads of the same bytes, one
# refused, must not remove the file the other's new version refers to
_BLOBS = threading.Lock()


@dataclass(frozen=True)
class Upload:
    facts: ApkFacts
    signer: str
    sha256: str
    path: Path  # the staged file, until `keep` places it


async def stage(chunks: AsyncIterator[bytes], blobs: Path) -> tuple[Path, str]:
    """The body streamed into a staging file of `blobs` (its path and SHA-256); over
    MAX_APK it is refused as it arrives (the body limit refuses it before, too)."""
    blobs.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=blobs, suffix=".part")
    staged, digest, size = Path(name), hashlib.sha256(), 0
    try:
        with os.fdopen(handle, "wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > MAX_APK:
                    raise ApiError(
                        413, "apk_too_large", f"apk: larger than {MAX_APK >> 20} MiB", param="apk"
                    )
                digest.update(chunk)
                await run_in_threadpool(out.write, chunk)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    if size == 0:
        staged.unlink()
        raise ApiError(400, "parameter_invalid", "body: expected the APK's bytes", param="apk")
    return staged, digest.hexdigest()


def receive(staged: Path, digest: str) -> Upload:
    """Check and read a staged APK: its archive's limits, its manifest, its signature."""
    try:
        check_archive(staged)
        facts = read_facts(staged)
    except ApkRefused as exc:
        raise ApiError(400, "apk_refused", f"apk: {exc.message}", param="apk") from None
    except ApkUnreadable as exc:
        raise ApiError(400, "apk_unreadable", f"apk: {exc.message}", param="apk") from None
    try:
        signers = verify(staged)
    except SignatureInvalid as exc:
        raise ApiError(
            400,
            "apk_signature_invalid",
            f"apk: unsigned, or its signature does not match its bytes ({exc.message})",
            param="apk",
        ) from None
    return Upload(facts, signers.digests[0], digest, staged)


def keep(
    db: sessionmaker[Session], blobs: Path, upload: Upload, add: Callable[[], JSONResponse]
) -> JSONResponse:
    """Place the blob, then run `add` (the version's transaction); a refusal removes the
    blob again unless a version refers to its bytes. The blob is placed first so that a
    crash in between leaves an unreferenced file (pruned at start), never a version
    without its bytes."""
    final = blobs / f"{upload.sha256}.apk"
    with _BLOBS:
        os.replace(upload.path, final)
        response = add()
        if response.status_code >= 300 and not _referenced(db, upload.sha256):
            final.unlink(missing_ok=True)
    return response


def _referenced(db: sessionmaker[Session], sha256: str) -> bool:
    with db() as session:
        return session.scalar(select(Version.id).where(Version.sha256 == sha256)) is not None


def prune(db: sessionmaker[Session], blobs: Path) -> list[str]:
    """Remove staging files and blobs no version refers to (an upload cut short, a crash
    between placing a blob and its version): what was removed."""
    if not blobs.is_dir():
        return []
    with db() as session:
        kept = {f"{digest}.apk" for digest in session.scalars(select(Version.sha256))}
    removed = []
    with _BLOBS:
        for path in blobs.iterdir():
            if path.name.endswith(".part") or (path.suffix == ".apk" and path.name not in kept):
                path.unlink(missing_ok=True)
                removed.append(path.name)
    return removed


def add_version(session: Session, developer: Principal, package: str, upload: Upload):
    app = session.get(App, package, with_for_update=LOCK)
    if app is None or app.developer_id != developer.id:
        raise ApiError(404, "resource_missing", f"you have no app {package}", param="package")
    facts = upload.facts
    if facts.package != package:
        raise ApiError(
            400,
            "apk_package_mismatch",
            f"apk: its package is {facts.package}, not {package}",
            param="apk",
        )
    if app.signer and upload.signer != app.signer:
        raise ApiError(
            400,
            "apk_signer_mismatch",
            f"apk: signed by {upload.signer[:16]}..., but {package} is signed by "
            f"{app.signer[:16]}...; sign updates with the app's own key",
            param="apk",
        )
    newest = session.scalar(
        select(func.max(Version.version_code)).where(Version.package == package)
    )
    if newest is not None and facts.version_code <= newest:
        raise ApiError(
            409,
            "version_code_not_newer",
            f"apk: versionCode {facts.version_code} is not above {newest}, the newest uploaded",
            param="apk",
        )
    app.signer = app.signer or upload.signer
    version = Version(
        package=package,
        version_code=facts.version_code,
        version_name=facts.version_name,
        min_sdk=facts.min_sdk,
        features=json.dumps(list(facts.features)),
        size=facts.size,
        sha256=upload.sha256,
    )
    session.add(version)
    session.flush()
    return 201, version_view(version)


def version_view(version: Version) -> dict:
    return {
        "object": "version",
        "package": version.package,
        "version_code": version.version_code,
        "version_name": version.version_name,
        "min_sdk": version.min_sdk,
        "features": json.loads(version.features),
        "size": version.size,
        "sha256": version.sha256,
        "uploaded": version.uploaded,
    }
