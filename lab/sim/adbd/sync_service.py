"""`sync:`: push, pull, stat and list, in both the v1 and the v2 (STA2/LIS2) forms."""

from __future__ import annotations

import errno
import os
import stat
import struct
from pathlib import Path

from lab.sim.adbd.stream import Stream, StreamClosed, StreamReader
from lab.sim.android.system import AndroidSystem

MAX_PATH = 1024
DATA_CHUNK = 64 * 1024
_STAT2 = struct.Struct("<IQQIIIIQqqq")  # error, dev, ino, mode, nlink, uid, gid, size, a/m/ctime


def sync(system: AndroidSystem):
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
                handler(system, stream, reader, path)
        except StreamClosed:
            return

    return run


def _host(system: AndroidSystem, path: str) -> Path:
    return system.fs.host_path(path)


def _stat1(system, stream, reader, path) -> None:
    try:
        info = os.stat(_host(system, path))
        reply = struct.pack(
            "<4sIII", b"STAT", info.st_mode, info.st_size & 0xFFFFFFFF, int(info.st_mtime)
        )
    except OSError:
        reply = struct.pack("<4sIII", b"STAT", 0, 0, 0)
    stream.write(reply)  # one WRTE: adbutils reads the reply with a single recv


def _stat2(system, stream, reader, path, tag: bytes = b"STA2") -> None:
    stream.write(tag + _stat2_record(_host(system, path)))


def _stat2_record(host: Path) -> bytes:
    try:
        info = os.stat(host)
    except OSError as exc:
        return _STAT2.pack(exc.errno or errno.ENOENT, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    return _STAT2.pack(
        0,
        info.st_dev,
        info.st_ino,
        info.st_mode,
        info.st_nlink,
        2000,
        2000,
        info.st_size,
        int(info.st_atime),
        int(info.st_mtime),
        int(info.st_ctime),
    )


def _list1(system, stream, reader, path) -> None:
    out = bytearray()
    for entry in _entries(_host(system, path)):
        info = entry.stat()
        name = entry.name.encode()
        out += (
            struct.pack(
                "<4sIIII",
                b"DENT",
                info.st_mode,
                info.st_size & 0xFFFFFFFF,
                int(info.st_mtime),
                len(name),
            )
            + name
        )
    out += struct.pack("<4sIIII", b"DONE", 0, 0, 0, 0)  # the end marker is a full record
    stream.write(bytes(out))


def _list2(system, stream, reader, path) -> None:
    out = bytearray()
    for entry in _entries(_host(system, path)):
        name = entry.name.encode()
        out += b"DNT2" + _stat2_record(entry) + struct.pack("<I", len(name)) + name
    out += b"DONE" + bytes(_STAT2.size + 4)
    stream.write(bytes(out))


def _entries(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [folder / ".", folder / "..", *sorted(folder.iterdir(), key=lambda p: p.name)]


def _send(system, stream, reader, spec) -> None:
    path, _, mode_text = spec.rpartition(",")
    if not path:
        path, mode_text = spec, "33188"
    target = _host(system, path)
    received = bytearray()
    failure = None
    while True:
        kind, value = struct.unpack("<4sI", reader.read_exact(8))
        if kind == b"DATA":
            received += reader.read_exact(value)
        elif kind == b"DONE":
            break
        else:
            _fail(stream, f"unexpected {kind!r} during SEND")
            raise StreamClosed("sync")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)  # fixed_push_mkdir
        target.write_bytes(received)
        mode = int(mode_text) if mode_text.isdigit() else 0o644
        os.chmod(target, stat.S_IMODE(mode) or 0o644)
        if value:
            os.utime(target, (value, value))
    except OSError as exc:
        failure = f"couldn't create file: {exc.strerror}"
    if failure:
        _fail(stream, failure)
    else:
        stream.write(struct.pack("<4sI", b"OKAY", 0))
        system.log("I", "adbd", f"sync: received {len(received)} bytes into {path}")


def _recv(system, stream, reader, path) -> None:
    target = _host(system, path)
    try:
        data = target.read_bytes()
    except IsADirectoryError:
        _fail(stream, "is a directory")
        return
    except OSError as exc:
        _fail(stream, exc.strerror or "No such file or directory")
        return
    out = bytearray()
    for start in range(0, len(data), DATA_CHUNK):
        chunk = data[start : start + DATA_CHUNK]
        out += struct.pack("<4sI", b"DATA", len(chunk)) + chunk
        if len(out) >= 1024 * 1024:  # several 64 KB chunks per WRTE: far fewer round trips
            stream.write(bytes(out))
            out.clear()
    out += struct.pack("<4sI", b"DONE", 0)
    stream.write(bytes(out))


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
