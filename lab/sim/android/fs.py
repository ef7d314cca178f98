"""The device's filesystem: a host folder as its root, with paths that cannot escape it."""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path

SEED_DIRS = (
    "sdcard",
    "data/local/tmp",
    "data/app",
    "system/bin",
    "system/app",
    "proc",
    "dev",
    "storage/emulated/0",
    "data/system",
)


class DeviceFS:
    def __init__(self, root: Path) -> None:
        self.root = root
        for folder in SEED_DIRS:
            (root / folder).mkdir(parents=True, exist_ok=True)

    def host_path(self, path: str, cwd: str = "/") -> Path:
        """Where device `path` lives on the host; '..' never leaves the root."""
        absolute = posixpath.normpath(posixpath.join(cwd, path))
        return self.root / absolute.lstrip("/")

    def exists(self, path: str) -> bool:
        return path in ("/", "/dev/null") or self.host_path(path).exists()

    def read(self, path: str) -> bytes:
        if path == "/dev/null":
            return b""
        target = self.host_path(path)
        if target.is_dir():
            raise IsADirectoryError(21, "Is a directory", path)
        if not target.exists():
            raise FileNotFoundError(2, "No such file or directory", path)
        return target.read_bytes()

    def write(self, path: str, data: bytes, append: bool = False) -> None:
        if path == "/dev/null":
            return
        target = self.host_path(path)
        if not target.parent.is_dir():
            raise FileNotFoundError(2, "No such file or directory", path)
        with open(target, "ab" if append else "wb") as handle:
            handle.write(data)

    def remove(self, path: str, recursive: bool = False) -> None:
        target = self.host_path(path)
        if target.is_dir() and not target.is_symlink():
            if not recursive:
                raise IsADirectoryError(21, "Is a directory", path)
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        else:
            raise FileNotFoundError(2, "No such file or directory", path)

    def mkdir(self, path: str, parents: bool = False) -> None:
        self.host_path(path).mkdir(parents=parents, exist_ok=parents)
