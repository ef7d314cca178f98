"""The virtual adbd holds what adbd holds and no more, and acts with the shell user's rights
as adbd does on a user build: a shell v2 packet longer than its buffer ends the stream (it
was read whole, up to 4 GiB); a pushed symlink's target is capped at PATH_MAX (it grew
without end); a symlink is made, and what it replaces removed, only where the shell may
write (it was done with the lab's own rights)."""

from __future__ import annotations

import socket
import struct
import time

from tests.sim.raw_adb import CLSE, CNXN, OKAY, OPEN, WRTE, connect, hello, packet, read_packet
from tests.virtual_farm import PORTS

SYMLINK = 0o120777


class RawStream:
    """One stream over a raw connection: write (waiting for its OKAY), read WRTEs."""

    def __init__(self, port: int, service: str) -> None:
        self.sock = connect(port, timeout=5.0)
        self.sock.sendall(hello())
        assert read_packet(self.sock)[0] == CNXN
        self.sock.sendall(packet(OPEN, 1, 0, service.encode() + b"\0"))
        reply = read_packet(self.sock)
        assert reply is not None and reply[0] == OKAY, reply
        self.remote = reply[1]
        self.closed = False

    def write(self, data: bytes) -> None:
        self.sock.sendall(packet(WRTE, 1, self.remote, data))
        while True:
            reply = read_packet(self.sock)
            if reply is None or reply[0] == CLSE:
                self.closed = True
                return
            if reply[0] == OKAY:
                return

    def read(self) -> bytes | None:
        """The next WRTE's data; b"" once the device closed the stream (a CLSE, or the
        connection); None when it stayed quiet for the socket's timeout (not a close)."""
        while True:
            try:
                header = self.sock.recv(24, socket.MSG_PEEK)
            except TimeoutError:
                return None
            if not header:
                self.closed = True
                return b""
            reply = read_packet(self.sock)
            if reply is None or reply[0] == CLSE:
                self.closed = True
                return b""
            if reply[0] == WRTE:
                self.sock.sendall(packet(OKAY, 1, reply[1]))
                return reply[3]

    def close(self) -> None:
        self.sock.close()


def _push_symlink(port: int, path: str, chunks: list[bytes]) -> bytes:
    sync = RawStream(port, "sync:")
    try:
        spec = f"{path},{SYMLINK}".encode()
        body = b"SEND" + struct.pack("<I", len(spec)) + spec
        for chunk in chunks:
            body += b"DATA" + struct.pack("<I", len(chunk)) + chunk
        body += b"DONE" + struct.pack("<I", int(time.time()))
        sync.write(body)
        return sync.read() or b""
    finally:
        sync.close()


def _shell(farm, command: str) -> str:
    done = farm.adb(f"127.0.0.1:{PORTS['t-phone']}", "shell", command)
    return (done.stdout + done.stderr).strip()


def test_a_shell_v2_packet_longer_than_the_buffer_ends_the_stream(farm):
    stream = RawStream(PORTS["t-phone"], "shell,v2,raw:cat")
    try:
        stream.write(struct.pack("<BI", 0, 0xFFFFFFF0) + b"x" * 64)  # stdin of ~4 GiB, says it
        deadline = time.monotonic() + 10
        while not stream.closed and time.monotonic() < deadline:
            stream.read()  # None while it is quiet (waiting for the rest): keep waiting
        assert stream.closed, "the device kept waiting for the rest of a 4 GiB packet"
    finally:
        stream.close()
    assert _shell(farm, "echo still here") == "still here"


def test_a_symlink_target_is_capped_at_path_max(farm):
    answer = _push_symlink(PORTS["t-phone"], "/data/local/tmp/long-link", [b"a" * 1000] * 10)
    assert answer.startswith(b"FAIL") and b"longer than 1024 bytes" in answer, answer
    assert "No such file" in _shell(farm, "ls -l /data/local/tmp/long-link 2>&1")


def test_a_symlink_is_made_only_where_the_shell_may_write(farm):
    allowed = _push_symlink(PORTS["t-phone"], "/data/local/tmp/ok-link", [b"/system/bin/sh"])
    assert allowed.startswith(b"OKAY"), allowed
    assert _shell(farm, "readlink /data/local/tmp/ok-link") == "/system/bin/sh"
    # a folder the shell may read but not write, with a file in it: neither may the link
    # replace the file nor be made beside it
    _shell(farm, "rm -rf /data/local/tmp/ro; mkdir /data/local/tmp/ro; "
                 "echo kept > /data/local/tmp/ro/file; chmod 555 /data/local/tmp/ro")  # fmt: skip
    try:
        for path in ("/data/local/tmp/ro/file", "/data/local/tmp/ro/new-link"):
            refused = _push_symlink(PORTS["t-phone"], path, [b"/data/local/tmp/x"])
            assert refused.startswith(b"FAIL") and b"Permission denied" in refused, refused
        assert _shell(farm, "cat /data/local/tmp/ro/file") == "kept"
        assert "No such file" in _shell(farm, "ls -l /data/local/tmp/ro/new-link 2>&1")
    finally:
        _shell(farm, "chmod 755 /data/local/tmp/ro; rm -rf /data/local/tmp/ro")
