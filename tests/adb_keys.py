"""Write RSA public keys in adb's `adbkey.pub` format (for auth tests)."""

from __future__ import annotations

import base64
import struct

from cryptography.hazmat.primitives.asymmetric import rsa


def adb_public_key(key: rsa.RSAPublicKey, name: str = "test@lab") -> str:
    numbers = key.public_numbers()
    words = 64  # 2048-bit modulus as 64 32-bit words
    n0inv = (-pow(numbers.n, -1, 2**32)) % 2**32
    rr = pow(2, 2 * words * 32, numbers.n)
    blob = struct.pack("<II", words, n0inv)
    blob += numbers.n.to_bytes(words * 4, "little") + rr.to_bytes(words * 4, "little")
    blob += struct.pack("<I", numbers.e)
    return f"{base64.b64encode(blob).decode()} {name}\n"


def new_key() -> rsa.RSAPublicKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
