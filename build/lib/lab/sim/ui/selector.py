"""uiautomator UiSelector matching over the live view tree."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lab.sim.ui.view import View

_TEXT_FIELDS = {
    "text": ("text", lambda a, v: a == v),
    "textContains": ("text", lambda a, v: v in a),
    "textMatches": ("text", lambda a, v: re.fullmatch(v, a, re.S) is not None),
    "textStartsWith": ("text", lambda a, v: a.startswith(v)),
    "className": ("cls", lambda a, v: a == v),
    "classNameMatches": ("cls", lambda a, v: re.fullmatch(v, a) is not None),
    "description": ("desc", lambda a, v: a == v),
    "descriptionContains": ("desc", lambda a, v: v in a),
    "descriptionMatches": ("desc", lambda a, v: re.fullmatch(v, a, re.S) is not None),
    "descriptionStartsWith": ("desc", lambda a, v: a.startswith(v)),
    "resourceId": ("rid", lambda a, v: a == v),
    "resourceIdMatches": ("rid", lambda a, v: re.fullmatch(v, a) is not None),
}
_FLAGS = {
    "checkable": "checkable",
    "checked": "checked",
    "clickable": "clickable",
    "longClickable": "long_clickable",
    "scrollable": "scrollable",
    "enabled": "enabled",
    "focusable": "focusable",
    "focused": "focused",
    "selected": "selected",
}
_IGNORED = {"mask", "childOrSibling", "childOrSiblingSelector", "instance"}


def _nodes(root: View) -> Iterator[tuple[View, int, View | None]]:
    """Every view with its index in its parent and the parent."""
    stack: list[tuple[View, int, View | None]] = [(root, 0, None)]
    while stack:
        view, index, parent = stack.pop()
        yield view, index, parent
        stack.extend((child, i, view) for i, child in reversed(list(enumerate(view.children))))


def _matches(view: View, index: int, package: str, selector: dict[str, Any]) -> bool:
    for key, value in selector.items():
        if key in _IGNORED:
            continue
        if key in _TEXT_FIELDS:
            attribute, test = _TEXT_FIELDS[key]
            if not test(getattr(view, attribute), value):
                return False
        elif key in _FLAGS:
            if getattr(view, _FLAGS[key]) != bool(value):
                return False
        elif key == "packageName":
            if _package(view, package) != value:
                return False
        elif key == "packageNameMatches":
            if re.fullmatch(value, _package(view, package)) is None:
                return False
        elif key == "index" and index != value:
            return False
    return True


def _package(view: View, package: str) -> str:
    return "com.tos.systemui" if view.rid.startswith("com.tos.systemui:") else package


def find_all(root: View, package: str, selector: dict[str, Any]) -> list[View]:
    found = [v for v, i, _ in _nodes(root) if _matches(v, i, package, selector)]
    for relation, sub in zip(
        selector.get("childOrSibling") or [],
        selector.get("childOrSiblingSelector") or [],
        strict=False,
    ):
        narrowed: list[View] = []
        for view in found:
            if relation == "child":
                pool = [(v, i) for v, i, _ in _nodes(view) if v is not view]
            else:
                parents = [p for v, _, p in _nodes(root) if v is view and p is not None]
                pool = [(c, i) for p in parents for i, c in enumerate(p.children) if c is not view]
            narrowed += [v for v, i in pool if _matches(v, i, package, sub)]
        found = narrowed
    return found


def find(root: View, package: str, selector: dict[str, Any]) -> View | None:
    found = find_all(root, package, selector)
    instance = int(selector.get("instance", 0) or 0)
    return found[instance] if instance < len(found) else None


def info(view: View, package: str) -> dict[str, Any]:
    left, top, right, bottom = view.bounds
    bounds = {"left": left, "top": top, "right": right, "bottom": bottom}
    return {
        "bounds": bounds,
        "visibleBounds": dict(bounds),
        "childCount": len(view.children),
        "className": view.cls,
        "contentDescription": view.desc or None,
        "packageName": _package(view, package),
        "resourceName": view.rid or None,
        "text": view.text,
        "checkable": view.checkable,
        "checked": view.checked,
        "clickable": view.clickable,
        "enabled": view.enabled,
        "focusable": view.focusable,
        "focused": view.focused,
        "longClickable": view.long_clickable,
        "scrollable": view.scrollable,
        "selected": view.selected,
    }
