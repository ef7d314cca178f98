"""Which service an OPEN names, and what runs it; None refuses it cleanly (CLSE)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from lab.sim.adbd.shell_service import raw_shell, v2_shell
from lab.sim.adbd.socket_service import Acceptor, bridge
from lab.sim.adbd.stream import Stream
from lab.sim.adbd.sync_service import sync
from lab.sim.android.system import AndroidSystem

Runner = Callable[[Stream], None]


class DeviceSide(Protocol):
    system: AndroidSystem

    def acceptor(self, port: int) -> Acceptor | None: ...

    def reboot(self, reason: str) -> None: ...


def open_service(device: DeviceSide, name: str) -> Runner | None:
    system = device.system
    head, _, argument = name.partition(":")
    if head == "shell":
        return raw_shell(system, argument)
    if head.startswith("shell,"):
        options = head.split(",")[1:]
        if "v2" in options:
            return v2_shell(system, argument)
        return raw_shell(system, argument)
    if head == "exec":
        return raw_shell(system, argument, merge_stderr=False)
    if head == "sync":
        return sync(system)
    if head == "tcp":
        port_text = argument.split(":", 1)[0]
        if not port_text.isdigit():
            return None
        accept = device.acceptor(int(port_text))
        return bridge(accept) if accept else None  # nothing listens there: refuse
    if head == "reboot":
        return _message(b"", lambda: device.reboot(argument))
    if head == "root":
        return _message(b"adbd cannot run as root in production builds\n")
    if head == "unroot":
        return _message(b"adbd not running as root\n")
    if head == "remount":
        return _message(b"remount is not supported on production builds\n")
    return None


def _message(text: bytes, then: Callable[[], None] | None = None) -> Runner:
    def run(stream: Stream) -> None:
        if text:
            stream.write(text)
        stream.close()
        if then:
            then()

    return run
