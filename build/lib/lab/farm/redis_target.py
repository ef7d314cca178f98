"""What a `redis://` lease store URL names: where the server is, the lease TTL, and the
password, which is read from a file (`?password_file=PATH`) so the inventory can be shared
without the secret in it. The password never appears in an error, a log or a process's
arguments: it is registered with lab.redaction, and messages name the URL without it.

    redis://10.0.0.5:6379/0?ttl=15&password_file=/etc/tos-lab/redis.pass
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from lab.errors import LabError
from lab.inventory import Inventory
from lab.redaction import register

DEFAULT_TTL = 15.0
# what redis.conf takes unquoted (the server reads `requirepass` from its standard input)
_PASSWORD = re.compile(r"[!#-&(-\[\]-~]+")


@dataclass(frozen=True)
class RedisTarget:
    url: str  # for redis-py: no credentials, no lab options
    host: str
    port: int
    ttl: float
    password_file: Path | None

    def password(self) -> str | None:
        """The password from its file (registered as a secret); None without one."""
        if self.password_file is None:
            return None
        path = self.password_file
        hint = (
            "`lab farm up` creates it on the Redis host; copy it to each host that runs "
            "`lab run` or `lab farm export`, readable by its owner only (chmod 600)"
        )
        try:
            mode = path.stat().st_mode
            text = path.read_text().strip()
        except OSError as exc:
            raise LabError(
                f"lease store {self.url}: password file {path}: {exc.strerror}", hint=hint
            ) from None
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise LabError(
                f"lease store {self.url}: password file {path} is open to its group or others",
                hint=f"chmod 600 {path}",
            )
        if len(text) < 16:
            raise LabError(
                f"lease store {self.url}: password file {path} holds under 16 characters",
                hint="delete it and let `lab farm up` make a new one",
            )
        if not _PASSWORD.fullmatch(text):
            raise LabError(
                f"lease store {self.url}: password file {path} holds spaces, quotes or "
                "characters outside printable ASCII",
                hint="delete it and let `lab farm up` make a new one",
            )
        register(text, "redis password")
        return text

    def create_password_file(self) -> bool:
        """Make the password file (a random password, mode 0600) unless it exists; whether
        it was made."""
        if self.password_file is None or self.password_file.exists():
            return False
        self.password_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(32) + "\n")
        return True


def parse(url: str, root: Path | None = None) -> RedisTarget:
    """The target a lease store URL names; a relative password file is read from `root`
    (the inventory's folder). A password inside the URL is refused: it would be shown
    wherever the inventory is."""
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise LabError(f"lease store {url.split('?')[0]!r}: the port must be a number") from None
    netloc = f"{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"
    shown = parts._replace(query="", netloc=netloc).geturl()  # never the credentials
    if parts.password or parts.username:
        raise LabError(
            f"lease store {shown}: a password inside the URL would be shown wherever the "
            "inventory is",
            hint="put it in a file (mode 600) and name it: ?password_file=PATH",
        )
    query = parse_qs(parts.query)
    unknown = set(query) - {"ttl", "password_file"}
    if unknown:
        raise LabError(
            f"lease store {shown}: unknown option {', '.join(sorted(unknown))}",
            hint="the options are ttl=SECONDS and password_file=PATH",
        )
    try:
        ttl = float(query.get("ttl", [str(DEFAULT_TTL)])[0])
    except ValueError:
        raise LabError(f"lease store {shown}: ttl must be a number of seconds") from None
    if not 1 <= ttl <= 3600:
        raise LabError(f"lease store {shown}: ttl must be 1..3600 s, not {ttl:g}")
    password_file = None
    if "password_file" in query:
        password_file = Path(query["password_file"][0]).expanduser()
        if not password_file.is_absolute() and root is not None:
            password_file = root / password_file
    return RedisTarget(shown, parts.hostname or "127.0.0.1", parts.port or 6379, ttl,
                       password_file)  # fmt: skip


def redis_target(inventory: Inventory) -> RedisTarget | None:
    """The inventory's Redis lease store, or None when its store is a folder."""
    url = inventory.farm.lease_store
    if not url.startswith(("redis://", "rediss://")):
        return None
    return parse(url, inventory.base_dir)
