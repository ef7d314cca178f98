"""screenrecord, as Android's (v1.3): the device's own frames as H.264 in an MP4, encoded
by Debian's ffmpeg (libx264; writing an encoder is not this lab's business). The screen is
sampled FPS times a second: a frame that changed is rendered, one that did not is sent
again, so the video keeps the pace of the clock. It stops at --time-limit (180 s, the most
Android allows), when the caller goes (Ctrl-C, `kill -2`, adb hanging up, the device
stopping); the file is then finalised (the MP4 index written) and lands at the path
the caller gave, in its own root and cwd. --bugreport draws the time and frame number in
a corner of every frame, as Android's does."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from PIL import Image, ImageDraw

from lab.sim.android.commands.options import Words
from lab.sim.userland.proc import Proc

if TYPE_CHECKING:
    from lab.sim.android.system import AndroidSystem

FPS = 10  # frames a second in the file (Android records at the display's rate when it changes)
MAX_SECONDS = 180  # Android's cap
DEFAULT_BIT_RATE = 20_000_000  # Android's default, 20 Mbps
USAGE = """Usage: screenrecord [options] <filename>

Android screenrecord v1.3.  Records the device's display to a .mp4 file.

Options:
--size WIDTHxHEIGHT
    Set the video size, e.g. "1280x720".  Default is the device's main
    display resolution (if supported), 1280x720 if not.  For best results,
    use a size supported by the AVC encoder.
--bit-rate RATE
    Set the video bit rate, in bits per second.  Value may be specified as
    bits or megabits, e.g. '4000000' is equivalent to '4M'.  Default 20Mbps.
--bugreport
    Add additional information, such as a timestamp overlay, that is helpful
    in videos captured to illustrate bugs.
--time-limit TIME
    Set the maximum recording time, in seconds.  Default / maximum is 180.
--verbose
    Display interesting information on stdout.
--help
    Show this message.

Recording continues until Ctrl-C is hit or the time limit is reached.
"""


class _Usage(ValueError):
    pass


@dataclass
class Options:
    target: str
    size: tuple[int, int] | None = None
    bit_rate: int = DEFAULT_BIT_RATE
    time_limit: int = MAX_SECONDS
    bugreport: bool = False
    verbose: bool = False


def screenrecord(system: AndroidSystem, proc: Proc) -> int:
    args = proc.args[1:]
    if "--help" in args or "-h" in args:
        proc.print(USAGE, end="")
        return 0
    try:
        options = _options(args)
    except _Usage as exc:
        proc.err(f"{exc}\n".encode())
        proc.err(USAGE.encode())
        return 2
    encoder = shutil.which("ffmpeg")
    if encoder is None:
        return proc.fail("not supported: no video encoder on this host (install ffmpeg)", 1)
    try:
        out = proc.open(options.target, "wb")
    except OSError as exc:
        return proc.fail(f"Unable to open '{options.target}': {exc.strerror}", 1)
    with out, tempfile.TemporaryDirectory(dir=system.state_dir) as folder:
        return _record(system, proc, options, encoder, Path(folder) / "video.mp4", out)


def _record(
    system: AndroidSystem, proc: Proc, options: Options, encoder: str, staged: Path, out: BinaryIO
) -> int:
    first = system.screenshot()
    width, height = first.size
    size = options.size or (width, height)
    if options.verbose:
        proc.print(f"Main display is {width}x{height} @{FPS}.00fps (orientation=0)")
        proc.print(f"Configuring recorder for {size[0]}x{size[1]} video/avc at "
                   f"{options.bit_rate / 1e6:.2f}Mbps")  # fmt: skip
        proc.print(f"Content area is {size[0]}x{size[1]} at offset x=0 y=0")
    encoding = subprocess.Popen(
        [encoder, "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
         "-s", f"{width}x{height}", "-r", str(FPS), "-i", "pipe:0",
         "-vf", f"scale={size[0]}:{size[1]}", "-c:v", "libx264", "-preset", "veryfast",
         "-pix_fmt", "yuv420p", "-b:v", str(options.bit_rate), "-movflags", "+faststart",
         "-f", "mp4", str(staged)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    started = time.monotonic()
    frames = 0
    last: Image.Image | None = None
    raw = b""
    try:
        while time.monotonic() - started < options.time_limit and not proc.cancelled.is_set():
            frame = system.screenshot()
            if frame is not last or options.bugreport:
                last = frame
                shown = _overlay(frame, started, frames) if options.bugreport else frame
                raw = shown.convert("RGB").resize((width, height)).tobytes()
            encoding.stdin.write(raw)
            frames += 1
            wait = started + frames / FPS - time.monotonic()
            if wait > 0:
                proc.cancelled.wait(wait)
    except (BrokenPipeError, OSError):
        pass  # the encoder ended: its error is read below
    finally:
        with contextlib.suppress(OSError):
            encoding.stdin.close()
        errors = encoding.stderr.read().decode(errors="replace")
        encoding.wait()
    if encoding.returncode != 0:
        return proc.fail(f"encoder failed: {errors.strip()[-300:]}", 1)
    with staged.open("rb") as video:
        shutil.copyfileobj(video, out)
    if options.verbose and not proc.cancelled.is_set():
        proc.print(f"Stopped after {frames / FPS:.1f} s ({frames} frames)")
    return 0


def _overlay(frame: Image.Image, started: float, number: int) -> Image.Image:
    """The time and the frame number in the top left corner (--bugreport)."""
    shown = frame.convert("RGB")
    draw = ImageDraw.Draw(shown)
    now = time.time()
    stamp = time.strftime("%H:%M:%S", time.localtime(now)) + f".{int(now * 1000) % 1000:03d}"
    text = f"{stamp} {number:06d}"
    box = draw.textbbox((4, 4), text)
    draw.rectangle((box[0] - 2, box[1] - 2, box[2] + 2, box[3] + 2), fill=(0, 0, 0))
    draw.text((4, 4), text, fill=(255, 255, 255))
    return shown


def _options(args: list[str]) -> Options:
    target: str | None = None
    options = Options("")
    words = Words(args, _Usage, "Option {} needs a value")
    for arg in words:
        if arg == "--size":
            text = words.value()
            found = re.fullmatch(r"(\d+)x(\d+)", text)
            if not found or int(found.group(1)) < 16 or int(found.group(2)) < 16:
                raise _Usage(f"Invalid size '{text}', must be width x height")
            options.size = (int(found.group(1)) // 2 * 2, int(found.group(2)) // 2 * 2)
        elif arg == "--bit-rate":
            options.bit_rate = _bit_rate(words.value())
        elif arg == "--time-limit":
            text = words.value()
            if not text.isdigit() or not 1 <= int(text) <= MAX_SECONDS:
                raise _Usage(f"Time limit {text} out of range [1,{MAX_SECONDS}]")
            options.time_limit = int(text)
        elif arg == "--bugreport":
            options.bugreport = True
        elif arg in ("--verbose", "-v"):
            options.verbose = True
        elif arg.startswith("-"):
            raise _Usage(f"Unknown option '{arg}'")
        elif target is None:
            target = arg
        else:
            raise _Usage("Must specify output file (see --help).")
    if not target:
        raise _Usage("Must specify output file (see --help).")
    options.target = target
    return options


def _bit_rate(text: str) -> int:
    found = re.fullmatch(r"(\d+)([mM]?)", text)
    if not found:
        raise _Usage(f"Invalid bit rate '{text}'")
    rate = int(found.group(1)) * (1_000_000 if found.group(2) else 1)
    if not 100_000 <= rate <= 200_000_000:
        raise _Usage(f"Bit rate {rate}bps outside acceptable range [100000,200000000]")
    return rate


COMMANDS = {"screenrecord": screenrecord}
