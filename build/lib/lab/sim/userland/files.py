"""The device's files as its own services (adbd's sync, the package manager) touch them:
every path is opened by the device's init, inside the device's root and mounts, so `..`
and symlinks resolve as on the device and never reach the host's files."""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
import stat
from collections.abc import Iterator

from lab.sim.userland.zygote import Zygote

READ = os.O_RDONLY
CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
_DIR = os.O_RDONLY | os.O_DIRECTORY


class DeviceFiles:
    """`as_shell`: every open with the shell user's rights (adbd's sync on a user build);
    otherwise with the system's (the package manager storing an APK)."""

    def __init__(self, zygote: Zygote, as_shell: bool = False) -> None:
        self._zygote = zygote
        self._as_shell = as_shell

    def as_shell(self) -> DeviceFiles:
        return DeviceFiles(self._zygote, as_shell=True)

    def open(self, path: str, flags: int = READ, mode: int = 0o644) -> int:
        return self._zygote.open(_absolute(path), flags, mode, as_shell=self._as_shell)

    def read_bytes(self, path: str) -> bytes:
        with os.fdopen(self.open(path), "rb") as handle:
            return handle.read()

    def write_bytes(self, path: str, data: bytes, mode: int = 0o644) -> None:
        with os.fdopen(self.open(path, CREATE, mode), "wb") as handle:
            handle.write(data)

    def mkdirs(self, path: str, mode: int = 0o755) -> None:
        self._zygote.mkdirs(_absolute(path), mode, as_shell=self._as_shell)

    def stat(self, path: str, follow: bool = True) -> os.stat_result:
        """stat (or lstat) of `path` as the device sees it."""
        parent, name = posixpath.split(_absolute(path).rstrip("/") or "/")
        if not name:  # the root itself
            fd = self.open("/", _DIR)
            with contextlib.closing(_Fd(fd)):
                return os.fstat(fd)
        fd = self.open(parent or "/", _DIR)
        with contextlib.closing(_Fd(fd)):
            return os.stat(name, dir_fd=fd, follow_symlinks=follow)

    def list(self, path: str) -> Iterator[tuple[str, os.stat_result]]:
        """(name, lstat) of each entry, '.' and '..' first as readdir gives them."""
        fd = self.open(path, _DIR)
        with contextlib.closing(_Fd(fd)):
            yield ".", os.fstat(fd)
            yield "..", os.stat("..", dir_fd=fd, follow_symlinks=False)
            for name in sorted(os.listdir(fd)):
                with contextlib.suppress(OSError):  # removed meanwhile
                    yield name, os.stat(name, dir_fd=fd, follow_symlinks=False)

    def unlink(self, path: str) -> None:
        """unlink(2) in the device, with this view's rights (the directory's modes apply
        to the shell user: adbd's sync must not remove what the shell cannot)."""
        self._zygote.unlink(_absolute(path), as_shell=self._as_shell)

    def symlink(self, target: str, path: str) -> None:
        """`path` made a symlink to `target`, replacing a file or link, with this view's
        rights."""
        self._zygote.symlink(target, _absolute(path), as_shell=self._as_shell)

    def remove(self, path: str) -> None:
        """rm -rf with init's rights: symlinks are removed, never followed (rmtree with a
        dir fd). For the system's own files (the package manager); the shell's view
        removes with `unlink`."""
        parent, name = posixpath.split(_absolute(path).rstrip("/"))
        fd = self.open(parent or "/", _DIR)
        with contextlib.closing(_Fd(fd)):
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                shutil.rmtree(name, dir_fd=fd)
            else:
                os.unlink(name, dir_fd=fd)


def _absolute(path: str) -> str:
    """Relative paths are from /, as adbd's; '..' is left to the kernel (a symlink's
    parent is not its lexical parent)."""
    return posixpath.join("/", path) if path else "/"


class _Fd:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def close(self) -> None:
        os.close(self.fd)
