"""A developer's upload: the APK is read (androguard) and its signature checked (apksig)
before anything is written; it must be the app's package, signed by the app's key, with
a versionCode above every earlier one. The file is kept under its SHA-256 name, so a
rejected or repeated upload leaves nothing half-written."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lab.apk.facts import ApkFacts, ApkUnreadable, read_facts
from lab.apk.signature import SignatureInvalid, verify
from lab.services.errors import ApiError
from lab.services.principal import Principal
from lab.services.store.models import App, Version

MAX_APK = 200 << 20


@dataclass(frozen=True)
class Upload:
    facts: ApkFacts
    signer: str
    sha256: str
    path: Path  # where the blob is kept


def receive(blobs: Path, data: bytes) -> Upload:
    """Read and verify an uploaded APK; keep its bytes under their digest."""
    if not data:
        raise ApiError(400, "parameter_invalid", "body: expected the APK's bytes", param="apk")
    if len(data) > MAX_APK:
        raise ApiError(413, "apk_too_large", f"apk: larger than {MAX_APK >> 20} MiB", param="apk")
    blobs.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()
    handle, staged = tempfile.mkstemp(dir=blobs, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        try:
            facts = read_facts(staged)
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
        final = blobs / f"{digest}.apk"
        os.replace(staged, final)
    finally:
        if os.path.exists(staged):
            os.unlink(staged)
    return Upload(facts, signers.digests[0], digest, final)


def add_version(session: Session, developer: Principal, package: str, upload: Upload):
    app = session.get(App, package, with_for_update=True)
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
