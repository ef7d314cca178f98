"""A service's own secret, kept outside its database (a 0600 file beside its admin key),
and what it protects in the database:

- Idempotency fingerprints are HMAC-SHA256 under a key derived from it. A plain SHA-256 of
  a request body that holds a 6-digit PIN is reversed by trying the million PINs; without
  the secret a table dump gives nothing to try against.
- Saved replies (which may carry API keys, a wallet's code secret or card key, issued
  once and replayed to a retry for 48 h) are sealed with AES-GCM under another derived
  key, bound to the row they belong to, so a dump of the table shows no secret and a
  sealed reply moved to another row does not open.

- Secrets a service must keep to do its work (a wallet's payment-code secret, the issuer
  key every card key derives from, the store's own key at the payment sandbox) are sealed
  the same way, each bound to what it belongs to.

A database without the secret file reveals none of these; the file without the database
holds no customer data. The keys come from one secret through HKDF, one per purpose.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.orm import Session

SEALED = "v1:"  # the prefix of a sealed reply (AES-GCM, 96-bit nonce)


class SealBroken(Exception):
    """A sealed reply that does not open: another secret, or an edited row."""


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


class Vault:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("a service secret has at least 16 bytes")
        self._fingerprints = _derive(secret, b"tos-lab idempotency fingerprint")
        self._replies = AESGCM(_derive(secret, b"tos-lab sealed reply"))

    def fingerprint(self, method: str, path: str, body: object) -> str:
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
        message = f"{method} {path}\n{canonical}".encode()
        return hmac.new(self._fingerprints, message, hashlib.sha256).hexdigest()

    def seal(self, text: str, bound_to: str) -> str:
        nonce = os.urandom(12)
        sealed = self._replies.encrypt(nonce, text.encode(), bound_to.encode())
        return SEALED + base64.b64encode(nonce + sealed).decode()

    def open(self, sealed: str, bound_to: str) -> str:
        if not sealed.startswith(SEALED):
            raise SealBroken("not a sealed reply")
        raw = base64.b64decode(sealed.removeprefix(SEALED))
        try:
            return self._replies.decrypt(raw[:12], raw[12:], bound_to.encode()).decode()
        except InvalidTag:
            raise SealBroken("the reply does not open with this service's secret") from None


def of(session: Session) -> Vault:
    """The vault of the service whose session this is (ServiceBox.sessions puts it there)."""
    return session.info["vault"]


def secret_file(path: Path) -> bytes:
    """The secret in `path`, made (32 random bytes, hex, mode 0600) when missing."""
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: read theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise PermissionError(f"{path} is open to its group or others (mode {mode:o}): chmod 600")
    return bytes.fromhex(path.read_text().strip())
