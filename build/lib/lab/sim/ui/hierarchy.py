"""The view tree as uiautomator's window-hierarchy XML."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from lab.sim.ui.view import View

HEADER = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\r\n"


def to_xml(root: View, package: str, max_depth: int = 50, rotation: int = 0) -> str:
    parts = [HEADER, f'<hierarchy rotation="{rotation}">']
    _node(root, package, 0, 0, max_depth, parts)
    parts.append("</hierarchy>")
    return "".join(parts)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _node(
    view: View, package: str, index: int, depth: int, max_depth: int, parts: list[str]
) -> None:
    left, top, right, bottom = view.bounds
    package_of = "com.tos.systemui" if view.rid.startswith("com.tos.systemui:") else package
    attrs = (
        f'index="{index}" text={quoteattr(view.text)} resource-id={quoteattr(view.rid)} '
        f'class="{view.cls}" package="{package_of}" content-desc={quoteattr(view.desc)} '
        f'checkable="{_flag(view.checkable)}" checked="{_flag(view.checked)}" '
        f'clickable="{_flag(view.clickable)}" enabled="{_flag(view.enabled)}" '
        f'focusable="{_flag(view.focusable)}" focused="{_flag(view.focused)}" '
        f'scrollable="{_flag(view.scrollable)}" long-clickable="{_flag(view.long_clickable)}" '
        f'password="false" selected="{_flag(view.selected)}" visible-to-user="true" '
        f'bounds="[{left},{top}][{right},{bottom}]"'
    )
    if not view.children or depth + 1 >= max_depth:
        parts.append(f"<node {attrs} />")
        return
    parts.append(f"<node {attrs}>")
    for child_index, child in enumerate(view.children):
        _node(child, package, child_index, depth + 1, max_depth, parts)
    parts.append("</node>")
