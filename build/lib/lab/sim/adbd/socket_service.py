"""`tcp:PORT`: a stream to a server inside the device (the uiautomator2 agent on 9008).

Servers inside the device get one end of a socketpair per connection, so nothing listens
on a host port: the agent is reachable only through ADB, as on a real device.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable

from lab.sim.adbd.stream import Stream, StreamClosed

Acceptor = Callable[[socket.socket], None]


def bridge(accept: Acceptor):
    def run(stream: Stream) -> None:
        inside, outside = socket.socketpair()
        threading.Thread(target=accept, args=(inside,), daemon=True, name="tcp-inside").start()
        threading.Thread(
            target=_host_to_device, args=(stream, outside), daemon=True, name="tcp-pump"
        ).start()
        try:
            while True:
                data = outside.recv(256 * 1024)
                if not data:
                    break
                stream.write(data)
        except (OSError, StreamClosed):
            pass
        finally:
            outside.close()

    return run


def _host_to_device(stream: Stream, outside: socket.socket) -> None:
    try:
        while True:
            data = stream.read()
            if not data:
                break
            outside.sendall(data)
    except (OSError, StreamClosed):
        pass
    finally:
        with contextlib.suppress(OSError):
            outside.shutdown(socket.SHUT_WR)
