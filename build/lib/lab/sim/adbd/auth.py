"""RSA auth as adbd does it: verify the host's signature of our token with a known key.

Keys are in adb's `adbkey.pub` format: base64 of Android's RSAPublicKey struct (modulus
size in words, n0inv, modulus and R^2 as little-endian 32-bit words, exponent) then a name.
"""

from __future__ import annotations

import base64
import struct
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils


def parse_adb_public_key(text: str) -> rsa.RSAPublicKey:
    blob = base64.b64decode(text.strip().split()[0])
    words, _n0inv = struct.unpack_from("<II", blob)
    size = words * 4
    modulus = int.from_bytes(blob[8 : 8 + size], "little")
    (exponent,) = struct.unpack_from("<I", blob, 8 + 2 * size)
    return rsa.RSAPublicNumbers(exponent, modulus).public_key()


def load_keys(paths: list[str]) -> list[rsa.RSAPublicKey]:
    keys = []
    for path in paths:
        for line in Path(path).expanduser().read_text().splitlines():
            if line.strip():
                keys.append(parse_adb_public_key(line))
    return keys


def signature_matches(keys: list[rsa.RSAPublicKey], token: bytes, signature: bytes) -> bool:
    """adb signs the 20-byte token as if it were a SHA-1 digest (RSA PKCS#1 v1.5)."""
    for key in keys:
        try:
            key.verify(signature, token, padding.PKCS1v15(), utils.Prehashed(hashes.SHA1()))
            return True
        except (InvalidSignature, ValueError):
            continue
    return False
