"""screenrecord on the virtual devices, as Android's: H.264 in MP4 of the device's own
frames, finalised when Ctrl-C (SIGINT) ends it, --size, --time-limit within Android's
range, --bugreport's overlay, and Android's answer to what it does not take."""

from __future__ import annotations

import subprocess
import time

import cv2
import numpy as np
import pytest

from tests.video import probe
from tests.virtual_farm import ADB, SERIALS


def _sh(farm, command: str) -> subprocess.CompletedProcess:
    return farm.adb(SERIALS["t-watch"], "shell", command)


def _pull(farm, path: str, folder) -> object:
    local = folder / path.rsplit("/", 1)[-1]
    done = farm.adb(SERIALS["t-watch"], "pull", path, str(local))
    assert done.returncode == 0, done.stderr
    return local


def test_sigint_ends_a_recording_with_a_whole_file(farm, tmp_path):
    """As `adb shell screenrecord` then Ctrl-C, or Appium's `kill -2`: the file is whole."""
    recording = subprocess.Popen(
        [ADB, "-s", SERIALS["t-watch"], "shell", "screenrecord /sdcard/stop.mp4"],
        env=farm.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(1.0)
    _sh(farm, "input keyevent HOME")  # the screen changes meanwhile
    time.sleep(1.0)
    killed = _sh(farm, "pkill -2 -x screenrecord; echo rc=$?")
    assert "rc=0" in killed.stdout, killed.stdout + killed.stderr
    recording.communicate(timeout=30)
    codec, width, height, seconds = probe(_pull(farm, "/sdcard/stop.mp4", tmp_path))
    assert (codec, width, height) == ("h264", 454, 454)
    assert 1.5 <= seconds <= 3.5


def _first_frame(path) -> np.ndarray:
    video = cv2.VideoCapture(str(path))
    ok, frame = video.read()
    assert ok, path
    return frame


def test_size_and_the_overlay_of_a_bug_report(farm, tmp_path):
    _sh(farm, "input keyevent HOME")
    _sh(farm, "screenrecord --size 320x320 --bugreport --time-limit 1 /sdcard/marked.mp4")
    _sh(farm, "screenrecord --size 320x320 --time-limit 1 /sdcard/plain.mp4")
    marked = _pull(farm, "/sdcard/marked.mp4", tmp_path)
    codec, width, height, seconds = probe(marked)
    assert (codec, width, height) == ("h264", 320, 320) and seconds == pytest.approx(1.0, abs=0.2)
    with_overlay = _first_frame(marked)
    without = _first_frame(_pull(farm, "/sdcard/plain.mp4", tmp_path))
    corner = (slice(2, 12), slice(2, 70))  # the time and frame number, on a black box
    change = np.abs(with_overlay[corner].astype(int) - without[corner].astype(int)).mean()
    rest = (slice(120, 300), slice(20, 300))  # the screen below it: the same in both
    same = np.abs(with_overlay[rest].astype(int) - without[rest].astype(int)).mean()
    assert change > 25 and same < 8, (change, same)


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        ("--time-limit 181 /sdcard/x.mp4", "Time limit 181 out of range [1,180]"),
        ("--size 12x34x /sdcard/x.mp4", "Invalid size '12x34x'"),
        ("--bit-rate fast /sdcard/x.mp4", "Invalid bit rate 'fast'"),
        ("", "Must specify output file"),
    ],
)
def test_what_android_refuses_is_refused_as_it_does(farm, arguments, said):
    done = _sh(farm, f"screenrecord {arguments}")
    assert done.returncode == 2 and said in done.stderr, done.stderr


def test_a_path_it_cannot_write_is_said(farm):
    done = _sh(farm, "screenrecord --time-limit 1 /system/x.mp4")
    assert done.returncode == 1 and "Unable to open '/system/x.mp4'" in done.stderr
