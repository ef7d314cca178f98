"""Signing keys the lab makes, in AOSP's layout: `NAME.pk8` (the private key, PKCS#8 DER,
mode 0600) beside `NAME.x509.pem` (its self-signed certificate), the form
`apksigner sign --key --cert` takes. Without a key of its own a build uses the lab's test
key, made once per user in `$XDG_DATA_HOME/tos-lab/keys/testkey` (like AOSP's testkey: it
signs test builds only)."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from filelock import FileLock

from lab.errors import LabError


@dataclass(frozen=True)
class SigningKey:
    key: Path  # NAME.pk8
    cert: Path  # NAME.x509.pem

    @classmethod
    def at(cls, prefix: Path | str) -> SigningKey:
        """The key pair at `prefix` (NAME, NAME.pk8 or NAME.x509.pem); it must exist."""
        name = str(prefix).removesuffix(".pk8").removesuffix(".x509.pem")
        pair = cls(Path(name + ".pk8"), Path(name + ".x509.pem"))
        missing = [str(p) for p in (pair.key, pair.cert) if not p.is_file()]
        if missing:
            raise LabError(
                f"signing key {name}: missing {', '.join(missing)}",
                hint=f"make one with `lab apk keygen {name}`",
            )
        return pair

    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert.read_bytes())

    def digest(self) -> str:
        """The certificate's SHA-256, as apksigner prints a signer's."""
        return self.certificate().fingerprint(hashes.SHA256()).hex()


def make_key(prefix: Path | str, subject: str = "TOS+ Lab") -> SigningKey:
    """A new RSA 2048 key and a self-signed certificate (valid 30 years) at `prefix`."""
    name = str(prefix).removesuffix(".pk8")
    pair = SigningKey(Path(name + ".pk8"), Path(name + ".x509.pem"))
    if pair.key.exists() or pair.cert.exists():
        raise LabError(f"signing key {name} exists already", hint="choose another name")
    pair.key.parent.mkdir(parents=True, exist_ok=True)
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    who = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(who)
        .issuer_name(who)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * 30))
        .sign(private, hashes.SHA256())
    )
    der = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(pair.key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(der)
    pair.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return pair


def keys_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tos-lab" / "keys"


def lab_test_key() -> SigningKey:
    """The lab's own test key, made on first use (once, even from parallel workers)."""
    folder = keys_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with FileLock(str(folder / ".testkey.lock"), timeout=60):
        if not (folder / "testkey.pk8").exists():
            return make_key(folder / "testkey", "TOS+ Lab test key")
    return SigningKey.at(folder / "testkey")
