"""`lab apk build`: a real APK from a few facts. The manifest is compiled to binary XML
(axml.py), zipped with an optional payload (incompressible bytes, for size benchmarks),
then signed by Debian's apksigner (AOSP's apksig: v1 JAR signing and APK Signature Scheme
v2, aligned as it does), so the signature is exactly what Android's tools make.

The app has no code (`android:hasCode="false"`); its launcher activity is the framework's
own `android.app.Activity`, which a real device can start: an empty window with the app's
label. So a lab APK installs and launches on a real TOS+ device as on a virtual one."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from lab.apk import axml
from lab.apk.keys import SigningKey, lab_test_key
from lab.errors import LabError

LEANBACK = "android.software.leanback"
ACTIVITY = "android.app.Activity"
_PACKAGE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")
SIGN_TIMEOUT = 120.0


class ApkBuildError(LabError):
    """The APK could not be made as asked."""


@dataclass(frozen=True)
class ApkSpec:
    package: str
    version_code: int
    version_name: str = ""
    label: str = ""
    features: tuple[str, ...] = ()  # required uses-feature names
    permissions: tuple[str, ...] = ()
    min_sdk: int = 24
    target_sdk: int = 33
    payload_bytes: int = 0  # assets/payload.bin, incompressible
    extra: dict[str, bytes] = field(default_factory=dict)  # more files, by zip path

    def check(self) -> None:
        if not _PACKAGE.match(self.package):
            raise ApkBuildError(
                f"--package {self.package!r}: expected a Java-style name with a dot, "
                "such as com.example.app"
            )
        if not 1 <= self.version_code <= 2_100_000_000:
            raise ApkBuildError(f"--version-code {self.version_code}: expected 1..2100000000")
        if not 1 <= self.min_sdk <= self.target_sdk:
            raise ApkBuildError(
                f"--min-sdk {self.min_sdk}: expected 1..{self.target_sdk} (the target SDK)"
            )
        if self.payload_bytes < 0:
            raise ApkBuildError("--payload-bytes: expected 0 or more")


def manifest(spec: ApkSpec) -> ElementTree.Element:
    a = "{" + axml.ANDROID_NS + "}"
    root = ElementTree.Element(
        "manifest",
        {
            "package": spec.package,
            a + "versionCode": str(spec.version_code),
            a + "versionName": spec.version_name or str(spec.version_code),
        },
    )
    ElementTree.SubElement(
        root,
        "uses-sdk",
        {a + "minSdkVersion": str(spec.min_sdk), a + "targetSdkVersion": str(spec.target_sdk)},
    )
    for name in spec.permissions:
        ElementTree.SubElement(root, "uses-permission", {a + "name": name})
    for name in spec.features:
        ElementTree.SubElement(root, "uses-feature", {a + "name": name, a + "required": "true"})
    label = spec.label or spec.package.rsplit(".", 1)[-1]
    app = ElementTree.SubElement(root, "application", {a + "label": label, a + "hasCode": "false"})
    activity = ElementTree.SubElement(
        app, "activity", {a + "name": ACTIVITY, a + "label": label, a + "exported": "true"}
    )
    launcher = ElementTree.SubElement(activity, "intent-filter")
    ElementTree.SubElement(launcher, "action", {a + "name": "android.intent.action.MAIN"})
    ElementTree.SubElement(launcher, "category", {a + "name": "android.intent.category.LAUNCHER"})
    if LEANBACK in spec.features:  # a TV app shows on the TV's launcher row
        category = "android.intent.category.LEANBACK_LAUNCHER"
        ElementTree.SubElement(launcher, "category", {a + "name": category})
    return root


def build(spec: ApkSpec, out: Path | str, key: SigningKey | None = None) -> Path:
    """Write the signed APK of `spec` to `out`; signed with `key` or the lab's test key."""
    spec.check()
    out = Path(out)
    apksigner = shutil.which("apksigner")
    if apksigner is None:
        raise ApkBuildError(
            "apksigner is missing", hint="`make` installs it (Debian: apt-get install apksigner)"
        )
    key = key or lab_test_key()
    try:
        binary_manifest = axml.encode(manifest(spec))
    except axml.AxmlError as exc:
        raise ApkBuildError(f"manifest: {exc}") from None
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lab-apk-") as folder:
        unsigned = Path(folder) / "unsigned.apk"
        with zipfile.ZipFile(unsigned, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("AndroidManifest.xml", binary_manifest)
            for path, data in spec.extra.items():
                archive.writestr(path, data)
            if spec.payload_bytes:
                info = zipfile.ZipInfo("assets/payload.bin")
                info.compress_type = zipfile.ZIP_STORED  # random bytes do not compress
                with archive.open(info, "w", force_zip64=spec.payload_bytes > 1 << 31) as f:
                    _random_into(f, spec.payload_bytes)
        signed = Path(folder) / "signed.apk"
        command = [
            apksigner, "sign", "--key", str(key.key), "--cert", str(key.cert),
            "--v1-signing-enabled", "true", "--v2-signing-enabled", "true",
            "--v3-signing-enabled", "false", "--in", str(unsigned), "--out", str(signed),
        ]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=SIGN_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise ApkBuildError(f"apksigner sign took over {SIGN_TIMEOUT:g} s") from None
        if done.returncode != 0:
            said = (done.stderr or done.stdout).strip().splitlines()
            raise ApkBuildError(f"apksigner sign failed: {said[-1] if said else done.returncode}")
        shutil.move(signed, out)
    return out


def _random_into(handle, count: int) -> None:
    left = count
    while left:
        chunk = os.urandom(min(left, 1 << 20))
        handle.write(chunk)
        left -= len(chunk)
