"""Airtest's image matcher over a folder of benchmark cases, run in the bench-only venv.

Runs with `.venv-bench/bin/python` (airtest and its opencv-contrib build, which must never
share the project's env with opencv-python-headless); it imports nothing from the lab.

    python bench/airtest_matcher.py CASES_DIR MODE   # MODE: recorded | plain

CASES_DIR holds manifest.json (a list of {id, screen, template, recorded_on, recorded_at})
and the PNGs it names. Prints one JSON list: {id, centre (or null), seconds} per case.
`recorded` gives Airtest what its IDE records with a template (record_pos and the
resolution it was captured at); `plain` gives it the image only.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import sys
import time
from pathlib import Path

import cv2
from airtest.core.cv import Template


def _template(case: dict, image, mode: str) -> Template:
    kwargs = {}
    if mode == "recorded":
        width, height = case["recorded_on"]
        x, y = case["recorded_at"]
        # Airtest's record_pos: the offset from the screen centre, both axes over the width
        kwargs = {
            "resolution": (width, height),
            "record_pos": ((x - width / 2) / width, (y - height / 2) / width),
        }
    template = Template(case["template"], **kwargs)  # Airtest's defaults otherwise
    template._imread = lambda: image  # file reading is not part of the timing
    return template


def main(folder: Path, mode: str) -> int:
    logging.getLogger("airtest").setLevel(logging.WARNING)  # its debug lines cost time
    manifest = json.loads((folder / "manifest.json").read_text())
    results = []
    for number, case in enumerate(manifest, 1):
        screen = cv2.imread(str(folder / case["screen"]), cv2.IMREAD_COLOR)
        image = cv2.imread(str(folder / case["template"]), cv2.IMREAD_COLOR)
        template = _template(case, image, mode)
        # its keypoint matchers print a traceback whenever too few points match: keep
        # those out of the bench's output
        with contextlib.redirect_stderr(io.StringIO()):
            started = time.perf_counter()
            found = template._cv_match(screen)  # what Airtest's exists()/touch() call
            seconds = time.perf_counter() - started
        centre = list(found["result"]) if found else None
        results.append({"id": case["id"], "centre": centre, "seconds": seconds})
        if number % 100 == 0:
            print(f"  airtest {mode}: {number}/{len(manifest)}", file=sys.stderr, flush=True)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in ("recorded", "plain"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))
