"""A throwaway PostgreSQL server (Debian's `postgresql` binaries) on this worker's port, for
the sandbox's `postgresql://` database URL. PostgreSQL refuses to run as root, so as root
the cluster belongs to the `postgres` user the Debian package creates."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is missing: tools/debian-packages.txt lists `postgresql`")
    return Path(found[-1]).parent


def _as_owner(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def postgres_server(port: int, databases: tuple[str, ...] = ("lab",)) -> Iterator[str]:
    """A fresh cluster with `databases` on 127.0.0.1:`port`; the first one's SQLAlchemy
    URL (the others' differ only in their name)."""
    bin_ = _binaries()
    folder = Path(tempfile.mkdtemp(prefix="lab-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    data, log = folder / "data", folder / "log"

    def run(*argv: str) -> None:
        subprocess.run(_as_owner(list(argv)), check=True, capture_output=True, timeout=120)

    try:
        run(str(bin_ / "initdb"), "-D", str(data), "-U", "lab", "--auth=trust", "-E", "UTF8")
        options = f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off"
        run(str(bin_ / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start")
        try:
            for name in databases:
                run(str(bin_ / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "lab", name)
            yield f"postgresql://lab@127.0.0.1:{port}/{databases[0]}"
        finally:
            run(str(bin_ / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
