"""API keys and PINs at rest: keys are random and kept as their SHA-256 (a key is long
and random, so a plain hash is enough); PINs are short, so they get scrypt and a salt."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_key(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(24)}"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def pin_hash(pin: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"{salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    salt, _, _ = stored.partition("$")
    return hmac.compare_digest(pin_hash(pin, bytes.fromhex(salt)), stored)
