"""`framebuffer:`: adbd runs `screencap` (raw) on the device and sends its pixels behind a
DDMS header, version 2 (adb/daemon/framebuffer_service.cpp); AndroidViewClient reads it."""

from __future__ import annotations

import contextlib
import os
import socket
import struct

from lab.sim.adbd.stream import Stream, StreamClosed
from lab.sim.android.system import AndroidSystem

_FORMATS = {  # screencap format -> bpp, (r, g, b, a) offset/length pairs
    1: (32, (0, 8, 8, 8, 16, 8, 24, 8)),  # RGBA_8888
    2: (32, (0, 8, 8, 8, 16, 8, 24, 0)),  # RGBX_8888
    3: (24, (0, 8, 8, 8, 16, 8, 24, 0)),  # RGB_888
    5: (32, (16, 8, 8, 8, 0, 8, 24, 8)),  # BGRA_8888
}


def framebuffer(system: AndroidSystem):
    def run(stream: Stream) -> None:
        ours, theirs = socket.socketpair()
        null = os.open("/dev/null", os.O_RDWR)
        try:
            child = system.zygote.spawn(
                ["screencap"],
                env=system.shell_env(),
                stdio=(null, theirs.fileno(), null),
                path="/system/bin/screencap",
            )
        finally:
            theirs.close()
            os.close(null)
        try:
            with ours, ours.makefile("rb") as pipe:
                head = pipe.read(16)
                if len(head) < 16:
                    return
                width, height, fmt, colour_space = struct.unpack("<IIII", head)
                if fmt not in _FORMATS:
                    return
                bpp, offsets = _FORMATS[fmt]
                size = width * height * bpp // 8
                # version, bpp, colorSpace, size, width, height, then r/b/g/a offset+length
                r_off, r_len, g_off, g_len, b_off, b_len, a_off, a_len = offsets
                info = struct.pack(
                    "<14I", 2, bpp, colour_space, size, width, height,
                    r_off, r_len, b_off, b_len, g_off, g_len, a_off, a_len,
                )  # fmt: skip
                stream.write(info)
                left = size
                while left:
                    chunk = pipe.read(min(left, 256 * 1024))
                    if not chunk:
                        break
                    stream.write(chunk)
                    left -= len(chunk)
        except (StreamClosed, OSError):
            pass
        finally:
            with contextlib.suppress(OSError):
                child.wait(5)
            child.hangup()

    return run
