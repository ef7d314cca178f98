"""The activity stack, focus and the one input pipeline every tap, key and swipe goes
through (from `input`, from the uiautomator2 agent and from the console alike)."""

from __future__ import annotations

import threading
import time

from PIL import Image

from lab.sim.android.keycodes import KEYCODES, NAMES
from lab.sim.apps.base import App, DeviceState
from lab.sim.apps.installed import InstalledApp
from lab.sim.apps.launcher import Launcher
from lab.sim.apps.settings import SettingsApp
from lab.sim.ui.activity import (
    HOME,
    MOVES,
    ROTATIONS,
    TOAST_SECONDS,
    Activity,
    Unsupported,
    focus_step,
    scrolled_to_show,
)
from lab.sim.ui.layout import build_tree, item_extent
from lab.sim.ui.metrics import Metrics, metrics_at, panel_size
from lab.sim.ui.render import render
from lab.sim.ui.screen import Screen
from lab.sim.ui.view import View


class WindowManager:
    def __init__(self, state: DeviceState) -> None:
        spec = state.spec
        self.state = state
        self.touch = spec.has("touch")
        self.stereo = spec.shape == "stereo"
        # only a rectangular handheld turns; watches, TVs and headsets keep their orientation
        self.rotatable = spec.device_class == "phone"
        self.rotation = 0
        self.metrics: Metrics = self._metrics()
        self.screen_on = True
        self.toast: tuple[str, float] | None = None  # text, shown until (monotonic)
        self.last_toast: str | None = None
        self.ime_shown = False  # the keyboard is up (a text field has input focus)
        self._apps: dict[str, App] = {
            Launcher.package: Launcher(),
            SettingsApp.package: SettingsApp(),
        }
        self._stack = [Activity(*HOME)]
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self.version = 0

    def _metrics(self) -> Metrics:
        return metrics_at(self.state.spec, self.rotation)

    def display_size(self) -> tuple[int, int]:
        """The panel as screencap shows it now (rotated when the device is)."""
        return panel_size(self.state.spec, self.rotation)

    def set_rotation(self, rotation: int) -> None:
        if rotation not in ROTATIONS:
            raise ValueError(f"rotation {rotation} is not one of 0-3")
        if rotation != self.rotation and not self.rotatable:
            raise Unsupported(f"the {self.state.spec.device_class}'s display orientation is fixed")
        with self._lock:
            self.rotation = rotation
            self.metrics = self._metrics()
            for activity in self._stack:
                activity.scroll = 0
            self.state.log("I", "WindowManager", f"rotation -> {rotation * 90}")
            self._bump()

    def show_toast(self, text: str, seconds: float = TOAST_SECONDS) -> None:
        with self._lock:
            self.toast = (text, time.monotonic() + seconds)
            self.last_toast = text
            self.state.log("I", "Toast", text)
            self._bump()
        threading.Timer(seconds + 0.05, self._toast_expired).start()

    def _toast_expired(self) -> None:
        with self._lock:
            if self.toast and self.toast[1] <= time.monotonic():
                self.toast = None
                self._bump()

    # -- what is on screen
    def stack(self) -> list[Activity]:
        """The activity stack, bottom (home) first."""
        with self._lock:
            return list(self._stack)

    @property
    def top(self) -> Activity:
        with self._lock:
            return self._stack[-1]

    def top_component(self) -> str:
        with self._lock:
            return self._stack[-1].component

    def close(self, package: str, activities: set[str] | None = None) -> None:
        """Finish `package`'s activities (those named, or all) wherever they are in the
        stack; home stays at the bottom."""
        with self._lock:
            self._stack = [
                a
                for a in self._stack
                if a.package != package or (activities is not None and a.name not in activities)
            ] or [Activity(*HOME)]
            self._bump()

    def register(self, app: App) -> None:
        """An app with state of its own (the wallet), instead of the generic one."""
        with self._lock:
            self._apps[app.package] = app

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
                toast=self.toast[0] if self.toast else None,
                input_focus=top.input_focus,
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
            if not installed.has_activity(activity):
                return False
            processes = getattr(self.state, "processes", None)
            if processes is not None:
                processes.start(package)  # an activity runs in its app's process
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
        processes = getattr(self.state, "processes", None)
        if processes is not None:
            processes.stop(package)
        installed = self.state.packages.get(package)
        appid = installed.uid if installed else 10000
        self.state.log("I", "ActivityManager", f"Force stopping {package} appid={appid} user=0")
        self.drop_package(package)
        if package == HOME[0] and processes is not None:
            processes.start(package)  # the home app comes straight back

    def drop_package(self, package: str) -> None:
        """Its process is gone: so are its activities (home stays at the bottom)."""
        with self._lock:
            kept = [a for a in self._stack if a.package != package]
            self._stack = (
                kept
                if kept and kept[0].component == Activity(*HOME).component
                else [
                    Activity(*HOME),
                    *kept,
                ]
            )
            self._bump()

    def back(self) -> None:
        with self._lock:
            if len(self._stack) > 1:
                self._stack.pop()
            self._bump()

    def reset(self) -> None:
        """As after a boot: home on screen, screen on, natural orientation, no toast."""
        with self._lock:
            self._stack = [Activity(*HOME)]
            self.screen_on = True
            self.rotation = 0
            self.metrics = self._metrics()
            self.toast = None
            self._bump()

    def home(self) -> None:
        with self._lock:
            self._stack = [Activity(*HOME)]
            self._bump()

    # -- input
    def tap(self, x: int, y: int, long: bool = False) -> bool:
        """A touch at panel coordinates, injected (`input tap`, the agent) or from a touch
        screen: Android delivers injected touches on every device, TVs included. True when
        a view took it."""
        if not self.screen_on:
            return False
        with self._lock:
            if self.stereo:
                x %= self.metrics.width
            target = None
            for view in self.tree().walk():
                if view.clickable and view.enabled and view.contains(x, y):
                    target = view  # the deepest clickable view under the finger wins
            where = f"({x},{y}) -> {target.rid if target else 'nothing'}"
            if self.screen().secure:  # which key of a PIN pad was touched is the PIN
                where = "-> secure input"
            self.state.log("I", "InputDispatcher", f"touch {'long ' if long else ''}{where}")
            if target is None:
                return False
            self._click(target)
            return True

    def swipe(self, x1: int, y1: int, x2: int, y2: int) -> None:
        if not self.screen_on:
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

    def scroll_list(self, forward: bool, amount: int | None = None) -> bool:
        """Scroll the screen's list by `amount` px (most of a page by default); True when it
        moved, False at its end (UiScrollable.scrollForward/Backward)."""
        with self._lock:
            top = self._stack[-1]
            _, height, visible = item_extent(self.screen(), self.metrics, "")
            step = amount or max(1, int(visible * 0.8))
            limit = max(0, height - visible)
            target = max(0, min(limit, top.scroll + (step if forward else -step)))
            if target == top.scroll:
                return False
            top.scroll = target
            self.state.log(
                "I", "InputDispatcher", f"scroll {'down' if forward else 'up'} to {target}"
            )
            self._bump()
            return True

    def key(self, code: int, long: bool = False) -> None:
        name = NAMES.get(code, str(code))
        self.state.log("I", "InputDispatcher", f"key {'long ' if long else ''}KEYCODE_{name}")
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
            elif code in MOVES:
                self._move_focus(MOVES[code])
            elif code in (KEYCODES["DPAD_CENTER"], KEYCODES["ENTER"]):
                focus = self._stack[-1].focus
                views = [v for v in self.tree().walk() if v.rid == focus and v.clickable]
                if views:
                    self._click(views[0])

    def text(self, text: str) -> bool:
        """Typed text goes to the focused text field; without one it is dropped, as on a
        device (and logged)."""
        with self._lock:
            field = self._input_field()
            if field is None:
                self.state.log(
                    "W", "InputMethodManager", f"text {text!r} dropped: no text field focused"
                )
                return False
            return self.set_text(field, field.text + text)

    def clear_input(self) -> bool:
        with self._lock:
            field = self._input_field()
            return field is not None and self.set_text(field, "")

    def set_text(self, view: View, text: str) -> bool:
        """Set an EditText's content (its app keeps it); False for any other view."""
        if view.cls != "android.widget.EditText":
            return False
        with self._lock:
            top = self._stack[-1]
            key = view.rid.split(":id/", 1)[-1]
            self._app(top.package).edit(key, text, self.state)
            top.input_focus = view.rid
            self._bump()
        return True

    def _input_field(self) -> View | None:
        top = self._stack[-1]
        if not top.input_focus:
            return None
        return next((v for v in self.tree().walk() if v.rid == top.input_focus), None)

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
        if view.cls == "android.widget.EditText":
            top.input_focus = view.rid  # the keyboard now types into it
            self.ime_shown = True
            self._bump()
            return
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
        step = focus_step(screen.kind, self.metrics.tile_cols, direction)
        target = index + step
        if step and 0 <= target < len(rids):
            top.focus = rids[target]
            item_top, item_bottom, visible = item_extent(screen, self.metrics, top.focus)
            top.scroll = scrolled_to_show(item_top, item_bottom, visible, top.scroll)
            self._bump()

    def _app(self, package: str) -> App:
        if package not in self._apps:
            self._apps[package] = InstalledApp(package)
        return self._apps[package]

    def _bump(self) -> None:
        with self._changed:
            self.version += 1
            self._changed.notify_all()
