"""An APK's signature checked by Debian's apksigner, i.e. AOSP's apksig, the library
Android's own installer and the Play tools verify with: every scheme the file carries,
every byte it covers. The lab's store checks uploads with it and a virtual device's
package manager checks installs with it, so a tampered file is refused as a real device
refuses it."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lab.errors import LabError

VERIFY_TIMEOUT = 120.0
_DIGEST = re.compile(r"^Signer #\d+ certificate SHA-256 digest: ([0-9a-f]{64})$", re.M)
_SCHEME = re.compile(r"^Verified using (v\d) scheme.*: true$", re.M)


class SignatureInvalid(LabError):
    """The APK is unsigned, or its signature does not match its bytes."""


@dataclass(frozen=True)
class Signers:
    digests: tuple[str, ...]  # each signer certificate's SHA-256, lowercase hex
    schemes: tuple[str, ...]  # v1, v2, ... that verified


def verify(path: Path | str, min_sdk: int | None = None) -> Signers:
    """The signers of the APK at `path`, or SignatureInvalid with apksigner's reason.
    `min_sdk` checks it as a device of that API level would (default: the APK's own)."""
    apksigner = shutil.which("apksigner")
    if apksigner is None:
        raise LabError(
            "apksigner is missing: APK signatures cannot be checked",
            hint="`make` installs it (Debian: apt-get install apksigner)",
        )
    command = [apksigner, "verify", "-v", "--print-certs"]
    if min_sdk is not None:
        command += ["--min-sdk-version", str(min_sdk)]
    try:
        done = subprocess.run(
            [*command, str(path)], capture_output=True, text=True, timeout=VERIFY_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        raise LabError(f"apksigner verify took over {VERIFY_TIMEOUT:g} s on {path}") from None
    said = done.stdout + done.stderr
    if done.returncode != 0 or not said.startswith("Verifies"):
        errors = [line.removeprefix("ERROR: ") for line in said.splitlines() if "ERROR" in line]
        raise SignatureInvalid(errors[0] if errors else said.strip() or "does not verify")
    return Signers(tuple(_DIGEST.findall(said)), tuple(_SCHEME.findall(said)))
