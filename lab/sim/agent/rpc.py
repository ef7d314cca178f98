"""The JSON-RPC methods of the uiautomator2 server, over the device's live view tree.

Every action goes through the window manager's input pipeline, the same one `input`
uses, so an agent click and `input tap` cannot behave differently.
"""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Callable
from typing import Any

from lab.sim.android.keycodes import KEYCODES, PRESS_KEYS
from lab.sim.android.system import AndroidSystem
from lab.sim.ui import selector as selectors
from lab.sim.ui.activity import Unsupported
from lab.sim.ui.hierarchy import to_xml


class RpcError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


NOT_FOUND = -32002
_ROTATIONS = {"natural": 0, "n": 0, "left": 1, "l": 1, "upsidedown": 2, "u": 2, "right": 3, "r": 3}
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602


class AgentMethods:
    def __init__(self, system: AndroidSystem) -> None:
        self.system = system
        self.windows = system.windows
        self.table: dict[str, Callable[..., Any]] = {
            "deviceInfo": self.device_info,
            "dumpWindowHierarchy": self.dump,
            "waitForExists": self.wait_for_exists,
            "waitUntilGone": self.wait_until_gone,
            "objInfo": self.obj_info,
            "objInfoOfAllInstances": self.obj_info_all,
            "exist": self.exist,
            "count": self.count,
            "getText": self.get_text,
            "setText": self.set_text,
            "clearTextField": lambda sel: self.set_text(sel, ""),
            "click": self.click,
            "longClick": self.long_click,
            "swipe": self.swipe,
            "swipePoints": self.swipe_points,
            "drag": lambda x1, y1, x2, y2, steps=10: self.swipe(x1, y1, x2, y2, steps),
            "dragTo": self.drag_to,
            "pressKey": self.press_key,
            "pressKeyCode": self.press_key_code,
            "takeScreenshot": self.take_screenshot,
            "injectInputEvent": self.inject,
            "wakeUp": lambda: self.windows.key(KEYCODES["WAKEUP"]),
            "sleep": lambda: self.windows.key(KEYCODES["SLEEP"]),
            "setClipboard": self.set_clipboard,
            "getClipboard": lambda: self.system.clipboard,
            "clearInputText": lambda: self.windows.clear_input(),
            "pasteClipboard": lambda: self.windows.text(self.system.clipboard or ""),
            "setOrientation": self.set_orientation,
            "freezeRotation": lambda freeze=True: True,
            "getLastToast": lambda: self.windows.last_toast,
            "getLastTraversedText": lambda: None,  # no WebView has been traversed
            "clearLastTraversedText": lambda: True,
            "clearLastToast": self.clear_toast,
            "makeToast": self.make_toast,
            "scrollForward": lambda sel, vertical=True, steps=55: self._scroll(sel, vertical, True),
            "scrollBackward": lambda sel, vertical=True, steps=55: self._scroll(
                sel, vertical, False
            ),
            "flingForward": lambda sel, vertical=True: self._scroll(sel, vertical, True),
            "flingBackward": lambda sel, vertical=True: self._scroll(sel, vertical, False),
            "scrollToEnd": lambda sel, vertical=True, swipes=500, steps=55: self._to_end(
                sel, vertical, True, swipes
            ),
            "scrollToBeginning": lambda sel, vertical=True, swipes=500, steps=55: self._to_end(
                sel, vertical, False, swipes
            ),
            "flingToEnd": lambda sel, vertical=True, swipes=500: self._to_end(
                sel, vertical, True, swipes
            ),
            "flingToBeginning": lambda sel, vertical=True, swipes=500: self._to_end(
                sel, vertical, False, swipes
            ),
            "scrollTo": self.scroll_to,
            "pinchIn": lambda *a: self._no_multitouch("pinchIn"),
            "pinchOut": lambda *a: self._no_multitouch("pinchOut"),
            "gesture": lambda *a: self._no_multitouch("gesture"),
            "openNotification": lambda: self._unsupported("openNotification"),
            "openQuickSettings": lambda: self._unsupported("openQuickSettings"),
        }

    def call(self, method: str, params: Any) -> Any:
        handler = self.table.get(method)
        if handler is None:
            raise RpcError(METHOD_NOT_FOUND, f"java.lang.NoSuchMethodException: {method}")
        args = params if isinstance(params, list) else ([params] if params else [])
        try:
            return handler(*args)
        except TypeError as exc:
            raise RpcError(INVALID_PARAMS, f"invalid params for {method}: {exc}") from None

    # -- reading the screen
    def _tree(self):
        return self.windows.tree(), self.windows.top.package

    def _find(self, selector: dict) -> Any:
        root, package = self._tree()
        return selectors.find(root, package, selector), package

    def _must(self, selector: dict):
        view, package = self._find(selector)
        if view is None:
            raise RpcError(
                NOT_FOUND,
                f"androidx.test.uiautomator.UiObjectNotFoundException: {_describe(selector)}",
            )
        return view, package

    def device_info(self) -> dict[str, Any]:
        spec = self.system.spec
        width, height = self.windows.display_size()
        return {
            "currentPackageName": self.windows.top.package,
            "displayWidth": width,
            "displayHeight": height,
            "displayRotation": self.windows.rotation,
            "displaySizeDpX": round(width * 160 / spec.density),
            "displaySizeDpY": round(height * 160 / spec.density),
            "productName": self.system.props.get("ro.product.name"),
            "screenOn": self.windows.screen_on,
            "sdkInt": int(self.system.props.get("ro.build.version.sdk")),
            "naturalOrientation": spec.width <= spec.height or spec.device_class == "tv",
        }

    def dump(self, compressed: bool = False, max_depth: int = 50, *_: Any) -> str:
        root, package = self._tree()
        return to_xml(root, package, max_depth=int(max_depth or 50), rotation=self.windows.rotation)

    def _wait(self, selector: dict, timeout_ms: int, present: bool) -> bool:
        deadline = time.monotonic() + max(0, int(timeout_ms)) / 1000
        version = self.windows.version
        while True:
            if (self._find(selector)[0] is not None) == present:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            version = self.windows.wait_change(version, min(remaining, 0.5))

    def wait_for_exists(self, selector: dict, timeout_ms: int = 0) -> bool:
        return self._wait(selector, timeout_ms, present=True)

    def wait_until_gone(self, selector: dict, timeout_ms: int = 0) -> bool:
        return self._wait(selector, timeout_ms, present=False)

    def obj_info(self, selector: dict) -> dict[str, Any]:
        view, package = self._must(selector)
        return selectors.info(view, package)

    def obj_info_all(self, selector: dict) -> list[dict[str, Any]]:
        root, package = self._tree()
        return [selectors.info(v, package) for v in selectors.find_all(root, package, selector)]

    def exist(self, selector: dict) -> bool:
        return self._find(selector)[0] is not None

    def count(self, selector: dict) -> int:
        root, package = self._tree()
        return len(selectors.find_all(root, package, selector))

    def get_text(self, selector: dict) -> str:
        return self._must(selector)[0].text

    def set_text(self, selector: dict, text: str) -> bool:
        view, _ = self._must(selector)
        return self.windows.set_text(view, text)

    # -- acting: all through the window manager's input pipeline
    def click(self, *args: Any) -> bool:
        if args and isinstance(args[0], dict):
            view, _ = self._must(args[0])
            return self.windows.tap(*view.center)
        x, y = int(args[0]), int(args[1])
        long = len(args) > 2 and int(args[2] or 0) >= 500
        return self.windows.tap(x, y, long=long)

    def long_click(self, selector: dict, *_: Any) -> bool:
        view, _ = self._must(selector)
        return self.windows.tap(*view.center, long=True)

    def swipe(self, *args: Any) -> bool:
        if args and isinstance(args[0], dict):
            view, _ = self._must(args[0])
            left, top, right, bottom = view.bounds
            direction = args[1]
            x, y = view.center
            ends = {
                "up": (x, bottom - 5, x, top + 5),
                "down": (x, top + 5, x, bottom - 5),
                "left": (right - 5, y, left + 5, y),
                "right": (left + 5, y, right - 5, y),
            }
            self.windows.swipe(*ends[direction])
            return True
        x1, y1, x2, y2 = (int(v) for v in args[:4])
        self.windows.swipe(x1, y1, x2, y2)
        return True

    def swipe_points(self, points: list[int], steps: int = 10) -> bool:
        if len(points) >= 4:
            self.windows.swipe(points[0], points[1], points[-2], points[-1])
        return True

    def drag_to(self, selector: dict, *args: Any) -> bool:
        view, _ = self._must(selector)
        if args and isinstance(args[0], dict):
            target, _ = self._must(args[0])
            x2, y2 = target.center
        else:
            x2, y2 = int(args[0]), int(args[1])
        self.windows.swipe(*view.center, x2, y2)
        return True

    def press_key(self, name: str) -> bool:
        key = PRESS_KEYS.get(str(name).lower())
        if key is None:
            raise RpcError(INVALID_PARAMS, f"unknown key name {name!r}")
        self.windows.key(KEYCODES[key])
        return True

    def press_key_code(self, code: int, meta: int = 0) -> bool:
        self.windows.key(int(code))
        return True

    def inject(self, action: int, x: float, y: float, meta: int = 0) -> bool:
        if int(action) == 1:  # ACTION_UP completes a tap
            self.windows.tap(int(x), int(y))
        return True

    def take_screenshot(self, scale: float = 1, quality: int = 80) -> str:
        buffer = io.BytesIO()
        self.system.screenshot().save(buffer, format="JPEG", quality=int(quality))
        return base64.b64encode(buffer.getvalue()).decode()

    def set_clipboard(self, label: str | None, text: str | None = None) -> None:
        """(label, text), in the order the uiautomator2 client sends them."""
        self.system.clipboard = text

    def set_orientation(self, orientation: str) -> None:
        rotation = _ROTATIONS.get(str(orientation).lower())
        if rotation is None:
            raise RpcError(INVALID_PARAMS, f"unknown orientation {orientation!r}")
        try:
            self.windows.set_rotation(rotation)
        except Unsupported as exc:
            raise RpcError(-32001, f"java.lang.UnsupportedOperationException: {exc}") from None

    def make_toast(self, text: str, duration_ms: float = 1000) -> bool:
        self.windows.show_toast(str(text), max(0.5, float(duration_ms) / 1000))
        return True

    def clear_toast(self) -> bool:
        self.windows.last_toast = None
        return True

    # -- scrolling (UiScrollable): the screen's one list scrolls vertically
    def _scrollable(self, selector: dict, vertical: bool) -> bool:
        view, _ = self._must(selector)
        if not view.scrollable:
            raise RpcError(
                NOT_FOUND,
                f"androidx.test.uiautomator.UiObjectNotFoundException: {_describe(selector)} "
                f"is not scrollable",
            )
        return bool(vertical)  # nothing here scrolls sideways

    def _scroll(self, selector: dict, vertical: bool, forward: bool) -> bool:
        if not self._scrollable(selector, vertical):
            return False
        return self.windows.scroll_list(forward)

    def _to_end(self, selector: dict, vertical: bool, forward: bool, swipes: int) -> bool:
        if not self._scrollable(selector, vertical):
            return False
        for _ in range(max(1, int(swipes))):
            if not self.windows.scroll_list(forward):
                break
        return True

    def scroll_to(self, selector: dict, target: dict, vertical: bool = True) -> bool:
        if not self._scrollable(selector, vertical):
            return False
        if self._find(target)[0] is not None:
            return True
        for forward in (True, False):  # down to the end, then up from there to the top
            while self.windows.scroll_list(forward):
                if self._find(target)[0] is not None:
                    return True
        return False

    def _no_multitouch(self, method: str) -> None:
        raise RpcError(
            -32001,
            f"java.lang.UnsupportedOperationException: {method}: multi-touch gestures are "
            f"not supported on this virtual device",
        )

    def _unsupported(self, method: str) -> None:
        raise RpcError(
            -32001,
            f"java.lang.UnsupportedOperationException: {method}: this TOS+ device has no "
            f"notification shade",
        )


def _describe(selector: dict) -> str:
    shown = {k: v for k, v in selector.items() if k not in ("mask",) and v not in ([], None)}
    return f"UiSelector{shown}"
