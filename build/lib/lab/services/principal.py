"""Who is asking a service: a caller of some kind (merchant, wallet, developer, device, or
the lab's admin) identified by `Authorization: Bearer KEY`; keys are kept only as hashes.
Each service says which key prefixes it knows and where their hashes live."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from lab.services.errors import ApiError
from lab.services.keys import key_hash


@dataclass(frozen=True)
class Principal:
    kind: str  # merchant | wallet | developer | device | admin
    id: str
    account_id: str = ""

    @property
    def scope(self) -> str:
        """The idempotency keys' namespace: one caller's keys never meet another's."""
        return f"{self.kind}:{self.id}"


# a key prefix -> a lookup of its hash in the service's tables (None when unknown)
Lookup = Callable[[Session, str], Principal | None]


def bearer(header: str | None, known: str) -> str:
    if not header or not header.startswith("Bearer ") or len(header) < 12:
        raise ApiError(
            401,
            "authentication_required",
            f"Authorization: expected `Bearer <API key>` ({known} or the lab's admin key)",
            param="Authorization",
        )
    return header[7:].strip()


def identify(
    session: Session, header: str | None, admin_key: str, lookups: dict[str, Lookup]
) -> Principal:
    key = bearer(header, ", ".join(f"{prefix}..." for prefix in lookups))
    if hmac.compare_digest(key.encode(), admin_key.encode()):
        return Principal("admin", "lab")
    for prefix, lookup in lookups.items():
        if key.startswith(prefix):
            found = lookup(session, key_hash(key))
            if found is not None:
                return found
    raise ApiError(401, "invalid_api_key", "Authorization: this API key is not known here")


def require(principal: Principal, *kinds: str) -> None:
    if principal.kind not in kinds:
        raise ApiError(
            403,
            "forbidden",
            f"this call is for {' or '.join(kinds)} keys; it was made with a {principal.kind} key",
        )
