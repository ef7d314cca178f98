"""Reading a uiautomator hierarchy dump (the XML `dut.hierarchy()` returns)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

Bounds = tuple[int, int, int, int]  # left, top, right, bottom


def views(hierarchy: str) -> Iterator[ET.Element]:
    """Every view (`node` element) of the dump, depth first."""
    return ET.fromstring(hierarchy.encode()).iter("node")


def bounds_of(view: ET.Element) -> Bounds:
    """A view's `bounds="[l,t][r,b]"` as numbers; a view without bounds is empty."""
    left, top, right, bottom = (
        int(v) for v in view.get("bounds", "[0,0][0,0]").replace("][", ",").strip("[]").split(",")
    )
    return left, top, right, bottom
