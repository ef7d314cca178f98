"""`sync:`: push, pull, stat and list, in both the v1 and the v2 (STA2/LST2/LIS2) forms.

Files are opened by the device's init, inside the device's root (lab.sim.userland.files),
and move in 64 KiB pieces both ways: memory stays bounded whatever the file's size.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import struct

from lab.sim.adbd.stream import Stream, StreamClosed, StreamReader
from lab.sim.android.system import AndroidSystem

MAX_PATH = 1024
DATA_CHUNK = 64 * 1024  # adbd's SYNC_DATA_MAX
PACK = 256 * 1024  # several DATA chunks per WRTE: fewer round trips
_STAT2 = struct.Struct("<IQQIIIIQqqq")  # error, dev, ino, mode, nlink, uid, gid, size, a/m/ctime
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC


def sync(system: AndroidSystem):
    shell = _ShellSystem(system)  # adbd runs sync as the shell user on a user build

    def run(stream: Stream) -> None:
        reader = StreamReader(stream)
        try:
            while True:
                request, length = struct.unpack("<4sI", reader.read_exact(8))
                if request == b"QUIT":
                    return
                if length > MAX_PATH:
                    _fail(stream, f"path too long ({length} bytes)")
                    return
                path = reader.read_exact(length).decode("utf-8", "replace")
                handler = _HANDLERS.get(request)
                if handler is None:
                    _fail(stream, f"unknown sync request {request!r}")
                    return
                handler(shell, stream, reader, path)
        except StreamClosed:
            return

    return run


class _ShellSystem:
    """The system as sync sees it: its files opened with the shell user's rights."""

    def __init__(self, system: AndroidSystem) -> None:
        self.files = system.files.as_shell()
        self.log = system.log


def _stat1(system, stream, reader, path) -> None:
    try:
        info = system.files.stat(path)
        reply = struct.pack(
            "<4sIII", b"STAT", info.st_mode, info.st_size & 0xFFFFFFFF, int(info.st_mtime)
        )
    except OSError:
        reply = struct.pack("<4sIII", b"STAT", 0, 0, 0)
    stream.write(reply)  # one WRTE: adbutils reads the reply with a single recv


def _stat2(system, stream, reader, path, tag: bytes = b"STA2") -> None:
    try:
        record = _record(system.files.stat(path, follow=tag == b"STA2"))
    except OSError as exc:
        record = _STAT2.pack(exc.errno or errno.ENOENT, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    stream.write(tag + record)


def _record(info: os.stat_result) -> bytes:
    return _STAT2.pack(
        0,
        info.st_dev,
        info.st_ino,
        info.st_mode,
        info.st_nlink,
        info.st_uid,
        info.st_gid,
        info.st_size,
        int(info.st_atime),
        int(info.st_mtime),
        int(info.st_ctime),
    )


def _entries(system: AndroidSystem, path: str):
    try:
        yield from system.files.list(path)
    except OSError:
        return  # adbd ends an unreadable listing with just DONE


def _list1(system, stream, reader, path) -> None:
    out = bytearray()
    for name, info in _entries(system, path):
        raw = name.encode()
        out += struct.pack(
            "<4sIIII",
            b"DENT",
            info.st_mode,
            info.st_size & 0xFFFFFFFF,
            int(info.st_mtime),
            len(raw),
        )
        out += raw
        if len(out) >= PACK:
            stream.write(bytes(out))
            out.clear()
    out += struct.pack("<4sIIII", b"DONE", 0, 0, 0, 0)  # the end marker is a full record
    stream.write(bytes(out))


def _list2(system, stream, reader, path) -> None:
    out = bytearray()
    for name, info in _entries(system, path):
        raw = name.encode()
        out += b"DNT2" + _record(info) + struct.pack("<I", len(raw)) + raw
        if len(out) >= PACK:
            stream.write(bytes(out))
            out.clear()
    out += b"DONE" + bytes(_STAT2.size + 4)
    stream.write(bytes(out))


def _send(system, stream, reader, spec) -> None:
    path, _, mode_text = spec.rpartition(",")
    if not path:
        path, mode_text = spec, "33188"
    mode = int(mode_text) if mode_text.isdigit() else 0o100644
    if stat.S_ISLNK(mode):
        _send_symlink(system, stream, reader, path)
        return
    fd = None
    failure = None
    try:
        with contextlib.suppress(OSError):  # fixed_push_mkdir: parents are made as needed
            system.files.mkdirs(path.rsplit("/", 1)[0] or "/")
        fd = system.files.open(path, _WRITE, stat.S_IMODE(mode) or 0o644)
    except OSError as exc:
        failure = f"couldn't create file: {exc.strerror}"
    received = 0
    mtime = 0
    try:
        while True:
            kind, value = struct.unpack("<4sI", reader.read_exact(8))
            if kind == b"DATA":
                if value > DATA_CHUNK:
                    failure = failure or f"DATA chunk of {value} bytes (max {DATA_CHUNK})"
                    raise StreamClosed("sync")
                chunk = reader.read_exact(value)
                received += value
                if fd is not None and failure is None:
                    try:
                        _write_all(fd, chunk)
                    except OSError as exc:
                        failure = f"write failed: {exc.strerror}"
            elif kind == b"DONE":
                mtime = value
                break
            else:
                failure = failure or f"unexpected {kind!r} during SEND"
                raise StreamClosed("sync")
    except StreamClosed:
        _abandon(system, fd, path)
        if failure:
            with contextlib.suppress(StreamClosed):
                _fail(stream, failure)
        raise
    if fd is not None:
        if mtime:
            with contextlib.suppress(OSError):
                os.utime(fd, (mtime, mtime))
        os.close(fd)
    if failure:
        if fd is not None:
            with contextlib.suppress(OSError):
                system.files.unlink(path)  # as adbd: no half-written file stays
        _fail(stream, failure)
        return
    stream.write(struct.pack("<4sI", b"OKAY", 0))
    system.log("I", "adbd", f"sync: received {received} bytes into {path}")


def _abandon(system: AndroidSystem, fd: int | None, path: str) -> None:
    if fd is not None:
        os.close(fd)
        with contextlib.suppress(OSError):
            system.files.unlink(path)


def _send_symlink(system, stream, reader, path) -> None:
    """The link's target comes as DATA; adbd caps it at PATH_MAX. It is made by the
    device's init with the shell user's rights, as adbd runs as shell: a directory the
    shell cannot write is refused."""
    target = bytearray()
    while True:
        kind, value = struct.unpack("<4sI", reader.read_exact(8))
        if kind == b"DATA":
            if len(target) + value > MAX_PATH:
                _fail(stream, f"symlink target longer than {MAX_PATH} bytes")
                raise StreamClosed("sync")  # the rest of the push is not read
            target += reader.read_exact(value)
        elif kind == b"DONE":
            break
        else:
            _fail(stream, f"unexpected {kind!r} during SEND")
            return
    try:
        system.files.symlink(target.decode(errors="replace"), path)
    except OSError as exc:
        _fail(stream, f"couldn't create symlink: {exc.strerror}")
        return
    stream.write(struct.pack("<4sI", b"OKAY", 0))


def _recv(system, stream, reader, path) -> None:
    try:
        info = system.files.stat(path)
        if stat.S_ISDIR(info.st_mode):
            _fail(stream, "Is a directory")
            return
        fd = system.files.open(path)
    except OSError as exc:
        _fail(stream, exc.strerror or "No such file or directory")
        return
    try:
        out = bytearray()
        while True:
            try:
                chunk = os.read(fd, DATA_CHUNK)
            except OSError as exc:
                stream.write(bytes(out))
                _fail(stream, exc.strerror or "read failed")
                return
            if not chunk:
                break
            out += struct.pack("<4sI", b"DATA", len(chunk)) + chunk
            if len(out) >= PACK:
                stream.write(bytes(out))
                out.clear()
        out += struct.pack("<4sI", b"DONE", 0)
        stream.write(bytes(out))
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _fail(stream: Stream, message: str) -> None:
    text = message.encode()
    stream.write(struct.pack("<4sI", b"FAIL", len(text)) + text)


_HANDLERS = {
    b"STAT": _stat1,
    b"STA2": _stat2,
    b"LST2": lambda system, stream, reader, path: _stat2(system, stream, reader, path, b"LST2"),
    b"LIST": _list1,
    b"LIS2": _list2,
    b"SEND": _send,
    b"RECV": _recv,
}
