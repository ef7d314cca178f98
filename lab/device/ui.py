"""uiautomator2 on top of the lab's adb connection, with TCP_NODELAY and one reconnect.

Stock uiautomator2 writes HTTP headers and body separately on a socket without
TCP_NODELAY, so every JSON-RPC call waits ~50 ms for Nagle + delayed ACK. And adbutils'
`create_connection` asks the server's version on an extra connection whose close sleeps
10 ms. The device handed to uiautomator2 here opens `tcp:PORT` itself, in one connection
with TCP_NODELAY: a call then costs about a millisecond.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any, TypeVar

import adbutils
import uiautomator2 as u2

from lab.device.adb import FencedDevice
from lab.device.errors import DeviceError, DeviceLost, DeviceTimeout
from lab.device.host_protocol import HostProtocolError, open_service
from lab.device.steps import step
from lab.errors import LabError

T = TypeVar("T")
# the request never reached the agent's RPC (no connection, or HTTP refused it): repeating
# it cannot do anything twice
_NEVER_EXECUTED = (u2.HTTPError, u2.exceptions.UiAutomationNotConnectedError)
# the request may have been carried out: only a read may be asked again
_UNKNOWN_OUTCOME = (ConnectionError, adbutils.AdbError, OSError)


class _FastDevice(FencedDevice):
    server: tuple[str, int] = ("127.0.0.1", 5037)
    timeout: float = 30.0

    def create_connection(self, network: adbutils.Network, address: Any) -> socket.socket:
        if network != adbutils.Network.TCP:
            return super().create_connection(network, address)
        # every uiautomator2 request opens one: fenced here, so are its raw objects' calls
        self.before(f"ui agent request (tcp:{address})")
        try:
            return open_service(*self.server, self.serial, f"tcp:{address}", self.timeout)
        except HostProtocolError as exc:  # what uiautomator2 expects when nothing listens
            raise adbutils.AdbError(str(exc)) from None


class Ui:
    def __init__(
        self,
        device_id: str,
        client: adbutils.AdbClient,
        serial: str,
        server: tuple[str, int],
        timeout: float = 30.0,
        *,
        touch: bool = True,
        find_image: Callable[[Any, float], Any] | None = None,
        before_operation: Callable[[str], None] | None = None,
    ) -> None:
        """`find_image(template, timeout)`: what tap_image taps (the Dut's screen layer
        waiting for the image); `touch`: whether the device has a touch screen."""
        self.device_id = device_id
        self._touch = touch
        self._find_image = find_image
        self._before = before_operation  # a lease's fencing check, as on Adb
        self._client = client
        self._serial = serial
        self._server = server
        self._timeout = timeout
        self._d: u2.Device | None = None
        self.reconnects = 0

    def __repr__(self) -> str:
        return f"<Ui of {self.device_id}>"

    @property
    def d(self) -> u2.Device:
        """The uiautomator2 device (connected on first use)."""
        if self._d is None:
            try:
                device = _FastDevice(self._client, serial=self._serial)
                device.server, device.timeout = self._server, self._timeout
                if self._before:
                    device.before = self._before
                self._d = u2.connect(device)
            except LabError:
                raise  # the fencing check refused (LeaseLost): not a lost device
            except Exception as exc:  # u2 raises many kinds here; all mean "no agent"
                raise DeviceLost(self.device_id, "connect uiautomator2", str(exc)) from None
        return self._d

    def call(
        self, operation: str, action: Callable[[u2.Device], T], *, repeatable: bool = False
    ) -> T:
        """Run `action(d)`. A read (`repeatable`) is asked once more after a broken
        connection or a timeout. An action is never sent twice unless it provably never
        reached the agent: a timed-out tap may have happened, and on a payment screen a
        second tap is a second payment."""
        if self._before:
            self._before(operation)
        try:
            return action(self.d)
        except u2.UiObjectNotFoundError as exc:
            raise DeviceError(self.device_id, operation, f"no such element: {exc}") from None
        except _NEVER_EXECUTED:
            self._d = None
        except TimeoutError as exc:
            self._d = None  # the connection is in an unknown state
            if not repeatable:
                raise DeviceTimeout(
                    self.device_id,
                    operation,
                    f"no answer within {self._timeout:g} s ({exc or 'timed out'}); not "
                    f"repeated: it may have happened on the device",
                ) from None
        except _UNKNOWN_OUTCOME as exc:
            self._d = None
            if not repeatable:
                raise DeviceLost(
                    self.device_id,
                    operation,
                    f"{type(exc).__name__}: {exc}; not repeated: it may have happened on the "
                    f"device",
                ) from None
        self.reconnects += 1
        try:
            return action(self.d)
        except u2.UiObjectNotFoundError as exc:
            raise DeviceError(self.device_id, operation, f"no such element: {exc}") from None
        except TimeoutError as exc:
            raise DeviceTimeout(self.device_id, operation, str(exc) or "timed out") from None
        except (*_NEVER_EXECUTED, *_UNKNOWN_OUTCOME) as exc:
            raise DeviceLost(self.device_id, operation, f"{type(exc).__name__}: {exc}") from None

    # -- what suites use
    def __call__(self, **selector: Any) -> u2.UiObject:
        """A uiautomator2 selector (`dut.ui(text="Settings")`) for anything not wrapped here."""
        return self.d(**selector)

    @property
    def info(self) -> dict[str, Any]:
        return self.call("device info", lambda d: d.info, repeatable=True)

    @step("press {key}")
    def press(self, key: str | int) -> None:
        self.call(f"press {key}", lambda d: d.press(key))

    @step("click {x},{y}")
    def click(self, x: int, y: int) -> None:
        self.call(f"click ({x},{y})", lambda d: d.click(x, y))

    @step("tap {selector}")
    def tap(self, timeout: float = 10.0, **selector: Any) -> None:
        """Click the element `selector` finds, waiting up to `timeout` for it."""
        self.call(f"tap {selector}", lambda d: d(**selector).click(timeout=timeout))

    @step("tap image {template}")
    def tap_image(self, template: Any, timeout: float = 10.0) -> Any:
        """Wait for `template` (a Template or a PNG path) on screen and tap its centre."""
        if not self._touch:
            raise DeviceError(
                self.device_id,
                "tap image",
                "this device has no touch screen",
                hint="move the focus with press('left'/'right') and press('enter')",
            )
        if self._find_image is None:
            raise DeviceError(self.device_id, "tap image", "no screen to search")
        match = self._find_image(template, timeout)
        self.click(*match.center)
        return match

    @step("type {text!r} into {selector}")
    def set_text(self, text: str, timeout: float = 10.0, **selector: Any) -> None:
        """Replace the text of the field `selector` finds (a search box, say)."""
        self.call(
            f"set text of {selector}", lambda d: d(**selector).set_text(text, timeout=timeout)
        )

    def exists(self, timeout: float = 0.0, **selector: Any) -> bool:
        return self.call(
            f"exists {selector}", lambda d: d(**selector).wait(timeout=timeout), repeatable=True
        )

    @step("wait until gone: {selector}")
    def gone(self, timeout: float = 10.0, **selector: Any) -> bool:
        return self.call(
            f"gone {selector}", lambda d: d(**selector).wait_gone(timeout=timeout), repeatable=True
        )

    @step("read text of {selector}")
    def text(self, timeout: float = 10.0, **selector: Any) -> str:
        return self.call(
            f"text of {selector}",
            lambda d: d(**selector).get_text(timeout=timeout),
            repeatable=True,
        )

    def element(self, timeout: float = 10.0, **selector: Any) -> dict[str, Any]:
        """What uiautomator reports of the element `selector` finds (bounds,
        contentDescription, ...), waiting up to `timeout` for it."""

        def read(d: u2.Device) -> dict[str, Any]:
            found = d(**selector)
            found.wait(timeout=timeout)
            return found.info  # uiautomator2 raises UiObjectNotFoundError when it is not there

        return self.call(f"element {selector}", read, repeatable=True)

    def focused(self) -> str | None:
        """The resource id of the view with focus (D-pad devices)."""

        def read(d: u2.Device) -> str | None:
            focused = d(focused=True)
            return focused.info.get("resourceName") if focused.exists else None

        return self.call("focused view", read, repeatable=True)

    def dump(self) -> str:
        return self.call("dump hierarchy", lambda d: d.dump_hierarchy(), repeatable=True)

    def current_app(self) -> dict[str, Any]:
        return self.call("current app", lambda d: d.app_current(), repeatable=True)
