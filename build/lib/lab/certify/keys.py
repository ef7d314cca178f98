"""Ed25519 keys for signing result bundles (`lab certify keygen`): the private key PEM
(0600) and the public key PEM beside it; a key's id is the first 16 hex digits of the
SHA-256 of its raw public bytes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from lab.errors import LabError


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def keygen(private_path: Path) -> tuple[Path, str]:
    """A new key at `private_path` (refusing to overwrite one) and its `.pub`."""
    if private_path.exists():
        raise LabError(f"{private_path} exists: a signing key is never overwritten",
                       hint="give another path, or remove the old key yourself")  # fmt: skip
    private_path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())  # fmt: skip
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    public = private_path.with_suffix(".pub")
    public.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))  # fmt: skip
    return public, key_id(key.public_key())


def load_private(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise LabError(f"no signing key at {path}",
                       hint="make one with `lab certify keygen --key PATH`") from None  # fmt: skip
    except (ValueError, UnsupportedAlgorithm):
        raise LabError(f"{path} is not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise LabError(f"{path} is not an Ed25519 key")
    return key


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public(data: bytes, where: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise LabError(f"{where} is not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise LabError(f"{where} is not an Ed25519 public key")
    return key
