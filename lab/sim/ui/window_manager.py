"""The activity stack, focus and the one input pipeline every tap, key and swipe goes
through (from `input`, from the uiautomator2 agent and from the console alike)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PIL import Image

from lab.sim.android.keycodes import KEYCODES, NAMES
from lab.sim.apps.base import App, DeviceState
from lab.sim.apps.installed import InstalledApp
from lab.sim.apps.launcher import Launcher
from lab.sim.apps.settings import SettingsApp
from lab.sim.ui.layout import build_tree, item_extent
from lab.sim.ui.metrics import Metrics, metrics_for
from lab.sim.ui.render import render
from lab.sim.ui.screen import Screen
from lab.sim.ui.view import View

HOME = ("com.tos.launcher", ".Home")
_MOVES = {
    KEYCODES["DPAD_UP"]: "up",
    KEYCODES["DPAD_DOWN"]: "down",
    KEYCODES["DPAD_LEFT"]: "left",
    KEYCODES["DPAD_RIGHT"]: "right",
}


@dataclass
class Activity:
    package: str
    name: str  # short form, ".Settings"
    focus: str = ""
    scroll: int = 0

    @property
    def component(self) -> str:
        return f"{self.package}/{self.name}"

    @property
    def full_name(self) -> str:
        return self.package + self.name if self.name.startswith(".") else self.name


class WindowManager:
    def __init__(self, state: DeviceState) -> None:
        spec = state.spec
        self.state = state
        self.touch = spec.has("touch")
        self.metrics: Metrics = metrics_for(
            spec.device_class,
            spec.eye_width,
            spec.height,
            focus_ring=spec.has("dpad"),
            density=spec.density,
        )
        self.stereo = spec.shape == "stereo"
        self.screen_on = True
        self._apps: dict[str, App] = {
            Launcher.package: Launcher(),
            SettingsApp.package: SettingsApp(),
        }
        self._stack = [Activity(*HOME)]
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self.version = 0

    # -- what is on screen
    @property
    def top(self) -> Activity:
        with self._lock:
            return self._stack[-1]

    def screen(self) -> Screen:
        with self._lock:
            top = self._stack[-1]
            return self._app(top.package).screen(top.name, self.state)

    def tree(self) -> View:
        with self._lock:
            screen = self.screen()
            top = self._stack[-1]
            if not top.focus and self.metrics.focus_ring and screen.items:
                top.focus = f"{screen.package}:id/{screen.items[0].key}"
            battery = self.state.settings.get("battery") if self.state.spec.has("battery") else None
            root, _ = build_tree(
                screen,
                self.metrics,
                focus=top.focus,
                scroll=top.scroll,
                battery=battery if isinstance(battery, int) else None,
            )
            return root

    def frame(self) -> Image.Image:
        """The whole panel: both eyes side by side on a stereo headset."""
        eye = render(self.tree(), self.metrics)
        if not self.screen_on:
            eye = Image.new("RGB", eye.size, (0, 0, 0))
        if not self.stereo:
            return eye
        panel = Image.new("RGB", (eye.width * 2, eye.height))
        panel.paste(eye, (0, 0))
        panel.paste(eye, (eye.width, 0))
        return panel

    def wait_change(self, version: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.version != version, timeout)
            return self.version

    # -- navigation
    def start(self, package: str, activity: str | None = None) -> bool:
        with self._lock:
            installed = self.state.packages.get(package)
            if installed is None:
                return False
            if activity is None:
                if not installed.component:
                    return False
                activity = installed.component.split("/", 1)[1]
            if activity.startswith(package + "."):
                activity = activity[len(package) :]
            if package == HOME[0]:
                self._stack = [Activity(*HOME)]
            elif self._stack[-1].component != f"{package}/{activity}":
                self._stack.append(Activity(package, activity))
            self.state.log(
                "I", "ActivityTaskManager", f"START u0 {{cmp={package}/{activity}}} from uid 2000"
            )
            self._bump()
            return True

    def force_stop(self, package: str) -> None:
        with self._lock:
            kept = [a for a in self._stack if a.package != package or a.package == HOME[0]]
            self._stack = kept or [Activity(*HOME)]
            self.state.log("I", "ActivityManager", f"Force stopping {package} appid=10000 user=0")
            self._bump()

    def back(self) -> None:
        with self._lock:
            if len(self._stack) > 1:
                self._stack.pop()
            self._bump()

    def home(self) -> None:
        with self._lock:
            self._stack = [Activity(*HOME)]
            self._bump()

    # -- input
    def tap(self, x: int, y: int, long: bool = False) -> bool:
        """A touch at panel coordinates; True when a view took it."""
        if not self.screen_on:
            return False
        if not self.touch:
            self.state.log("W", "InputDispatcher", f"dropping touch at ({x},{y}): no touch screen")
            return False
        with self._lock:
            if self.stereo:
                x %= self.metrics.width
            target = None
            for view in self.tree().walk():
                if view.clickable and view.enabled and view.contains(x, y):
                    target = view  # the deepest clickable view under the finger wins
            self.state.log(
                "I",
                "InputDispatcher",
                f"touch {'long ' if long else ''}({x},{y}) -> "
                f"{target.rid if target else 'nothing'}",
            )
            if target is None:
                return False
            self._click(target)
            return True

    def swipe(self, x1: int, y1: int, x2: int, y2: int) -> None:
        if not self.touch or not self.screen_on:
            return
        with self._lock:
            top = self._stack[-1]
            dy = y1 - y2
            if abs(dy) < 10:
                self.tap(x2, y2)
                return
            _, height, visible = item_extent(self.screen(), self.metrics, "")
            top.scroll = max(0, min(top.scroll + dy, max(0, height - visible)))
            self.state.log("I", "InputDispatcher", f"swipe ({x1},{y1})->({x2},{y2})")
            self._bump()

    def key(self, code: int) -> None:
        name = NAMES.get(code, str(code))
        self.state.log("I", "InputDispatcher", f"key KEYCODE_{name}")
        with self._lock:
            if code in (KEYCODES["POWER"], KEYCODES["SLEEP"], KEYCODES["WAKEUP"]):
                self.screen_on = code == KEYCODES["WAKEUP"] or (
                    code == KEYCODES["POWER"] and not self.screen_on
                )
                self._bump()
                return
            if not self.screen_on:
                return
            if code == KEYCODES["HOME"]:
                self.home()
            elif code in (KEYCODES["BACK"], KEYCODES["ESCAPE"]):
                self.back()
            elif code in _MOVES:
                self._move_focus(_MOVES[code])
            elif code in (KEYCODES["DPAD_CENTER"], KEYCODES["ENTER"]):
                focused = next(
                    (
                        v
                        for v in self.tree().walk()
                        if v.rid == self._stack[-1].focus and v.clickable
                    ),
                    None,
                )
                if focused is not None:
                    self._click(focused)

    def text(self, text: str) -> bool:
        """Typed text goes to a focused text field; these system screens have none."""
        self.state.log("W", "InputMethodManager", f"text {text!r} dropped: no text field focused")
        return False

    def set_text(self, view: View, text: str) -> bool:
        if view.cls != "android.widget.EditText":
            return False
        view.text = text
        self._bump()
        return True

    def refresh(self) -> None:
        """Something the screen shows changed outside the UI (settings, packages)."""
        with self._lock:
            self._bump()

    # -- internals
    def _click(self, view: View) -> None:
        action = view.action
        top = self._stack[-1]
        if self.metrics.focus_ring:
            top.focus = view.rid
        if action.startswith("start:"):
            package, _, activity = action[6:].partition("/")
            self.start(package, activity or None)
        else:
            result = self._app(top.package).act(action, self.state)
            if result == "back":
                self.back()
            elif result and result.startswith("start:"):
                package, _, activity = result[6:].partition("/")
                self.start(package, activity or None)
        self._bump()

    def _move_focus(self, direction: str) -> None:
        screen = self.screen()
        rids = [f"{screen.package}:id/{item.key}" for item in screen.items]
        if not rids:
            return
        top = self._stack[-1]
        index = rids.index(top.focus) if top.focus in rids else 0
        step = 1
        if screen.kind == "tiles":
            cols = self.metrics.tile_cols
            step = {"left": -1, "right": 1, "up": -cols, "down": cols}[direction]
        else:
            step = {"left": 0, "right": 0, "up": -1, "down": 1}[direction]
        target = index + step
        if step and 0 <= target < len(rids):
            top.focus = rids[target]
            item_top, item_bottom, visible = item_extent(screen, self.metrics, top.focus)
            if item_bottom - top.scroll > visible:
                top.scroll = item_bottom - visible
            elif item_top < top.scroll:
                top.scroll = item_top
            self._bump()

    def _app(self, package: str) -> App:
        if package not in self._apps:
            self._apps[package] = InstalledApp(package)
        return self._apps[package]

    def _bump(self) -> None:
        with self._changed:
            self.version += 1
            self._changed.notify_all()
