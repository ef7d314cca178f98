"""Which service an OPEN names, and what runs it (adb/daemon/services.cpp); None refuses
it (CLSE), as adbd does for a service it does not know."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from lab.sim.adbd.framebuffer_service import framebuffer
from lab.sim.adbd.reverse_service import ReverseForwards
from lab.sim.adbd.shell_service import exec_service, shell_service
from lab.sim.adbd.socket_service import Acceptor, bridge
from lab.sim.adbd.stream import Stream
from lab.sim.adbd.sync_service import sync
from lab.sim.android.system import AndroidSystem

if TYPE_CHECKING:
    from lab.sim.adbd.transport import Transport

Runner = Callable[[Stream], None]


class DeviceSide(Protocol):
    system: AndroidSystem

    def acceptor(self, port: int) -> Acceptor | None: ...

    def reboot(self, reason: str) -> None: ...


def open_service(device: DeviceSide, transport: Transport, name: str) -> Runner | None:
    system = device.system
    head, _, argument = name.partition(":")
    if head == "shell" or head.startswith("shell,"):
        return shell_service(system, head, argument)
    if head == "exec":
        return exec_service(system, argument)
    if head == "sync":
        return sync(system)
    if head == "framebuffer":
        return framebuffer(system)
    if head == "reverse":
        return ReverseForwards.of(transport).service(argument)
    if head == "tcp":
        port_text = argument.split(":", 1)[0]
        if not port_text.isdigit():
            return None
        accept = device.acceptor(int(port_text))
        return bridge(accept) if accept else None  # nothing listens there: refuse
    if head == "reboot":
        return _message(b"", lambda: device.reboot(argument or "adb"))
    if head == "root":
        return _message(b"adbd cannot run as root in production builds\n")
    if head == "unroot":
        return _message(b"adbd not running as root\n")
    if head == "remount":
        return _message(b"remount is not supported on production builds\n")
    if head in ("enable-verity", "disable-verity"):
        return _message(b"verity cannot be disabled/enabled - USER build\n")
    return None


def _message(text: bytes, then: Callable[[], None] | None = None) -> Runner:
    def run(stream: Stream) -> None:
        if text:
            stream.write(text)
        stream.close()
        if then:
            then()

    return run
