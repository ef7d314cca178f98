"""What a video file holds, as ffprobe (Debian's ffmpeg) reads it: codec, size, duration."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path


def probe(path: Path) -> tuple[str, int, int, float]:
    """(codec, width, height, seconds) of the first video stream of `path`."""
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
         "stream=codec_name,width,height:format=duration", "-of", "json", str(path)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    found = json.loads(done.stdout)
    stream = found["streams"][0]
    seconds = float(found["format"]["duration"])
    return stream["codec_name"], stream["width"], stream["height"], seconds
