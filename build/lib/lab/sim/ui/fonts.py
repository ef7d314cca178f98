"""One font for every script, so renders are deterministic and CJK shows.

WenQuanYi Micro Hei covers Latin and CJK in one file; the Makefile installs it (Debian
package fonts-wqy-microhei). A missing font is an error, never a silent fallback to
PIL's bitmap font, which would change every golden image.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_PATHS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
)


class FontMissing(RuntimeError):
    pass


def font_path() -> Path:
    for path in FONT_PATHS:
        if path.is_file():
            return path
    raise FontMissing(
        "font wqy-microhei.ttc not found; install the Debian package fonts-wqy-microhei "
        "(`make setup` does it as root)"
    )


@lru_cache(maxsize=64)
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path()), size)


def text_width(text: str, size: int) -> float:
    return font(size).getlength(text)


def wrap(text: str, size: int, width: int) -> list[str]:
    """Split `text` into lines no wider than `width` (by words, else by characters)."""
    lines: list[str] = []
    current = ""
    for char in text:
        candidate = current + char
        if text_width(candidate, size) <= width or not current:
            current = candidate
            continue
        cut = current.rfind(" ")
        if cut > 0 and char != " ":
            lines.append(current[:cut])
            current = current[cut + 1 :] + char
        else:
            lines.append(current.rstrip())
            current = char.lstrip()
    if current:
        lines.append(current)
    return lines or [""]
