"""Input-to-display latency of the phone as the TV's game pad: phone-1 paired with tv-1's
game (default farm, started if needed), 60 presses walking a rectangle, each timed from
the tap on the phone's pad to the first TV frame (screencap) that shows the player in its
new cell. Also the time one TV frame takes to capture, which bounds the resolution."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from lab.device.factory import open_dut
from lab.gamepad.board import Board
from lab.gamepad.latency import press_and_watch
from lab.gamepad.pairing import new_game, pair
from lab.inventory import load_inventory

ROOT = Path(__file__).resolve().parents[1]
LAB = str(Path(sys.executable).with_name("lab"))
WALK = (["right"] * 4 + ["down"] * 2 + ["left"] * 4 + ["up"] * 2) * 5


def run() -> list[tuple[str, str]]:
    subprocess.run([LAB, "sim", "up", "--only", "tv-1", "--only", "phone-1"], cwd=ROOT,
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    inventory = load_inventory(ROOT / "device_inventory.yaml")
    logs = ROOT / "reports" / "bench-logs"
    screen = open_dut(inventory, "tv-1", log_dir=logs)
    pad = open_dut(inventory, "phone-1", log_dir=logs)
    try:
        new_game(screen)
        player = pair(pad, screen)
        screen.shell(["am", "start", "-n", "com.tos.arcade/.Game"], check=True)
        board = Board(screen)
        capture = []
        for _ in range(20):
            started = time.perf_counter()
            screen.screenshot()
            capture.append(time.perf_counter() - started)
        presses = [press_and_watch(pad, screen, board, player, b) for b in WALK]
    finally:
        new_game(screen)
        pad.close()
        screen.close()
    ms = np.array([p.seconds for p in presses]) * 1000
    frames = [p.frames for p in presses]
    return [
        ("presses", str(len(ms))),
        ("press to frame, median", f"{np.median(ms):.0f} ms"),
        ("press to frame, p95", f"{np.percentile(ms, 95):.0f} ms"),
        ("press to frame, max", f"{ms.max():.0f} ms"),
        (
            "of which the tap on the phone (uiautomator2 click), median",
            f"{np.median([p.tap for p in presses]) * 1000:.0f} ms",
        ),
        ("TV frames captured per press, median", f"{np.median(frames):.0f}"),
        (
            "one TV frame, unchanged screen (1920x1080 screencap), median",
            f"{np.median(capture) * 1000:.0f} ms",
        ),
    ]
