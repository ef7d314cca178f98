"""`lab doctor`: can this machine run the lab? Each part the lab starts or uses, checked as
the lab uses it, and for each one missing the one command that fixes it. Exit 1 when the
embedded virtual farm cannot run (a part it needs is missing); parts only some suites or
farm roles need are listed with what needs them, and do not fail the check."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from lab.cli.output import stdout
from lab.errors import LabError

APT = "apt-get install -y"


@dataclass(frozen=True)
class Part:
    name: str
    needed_by: str  # "the virtual farm" (exit 1 when missing), or what else needs it
    check: Callable[[], str | None]  # None when fine, else what is wrong
    fix: str

    @property
    def required(self) -> bool:
        return self.needed_by == "the virtual farm"


def _command(name: str) -> Callable[[], str | None]:
    return lambda: None if shutil.which(name) else f"`{name}` is not on PATH"


def _file(*candidates: str) -> Callable[[], str | None]:
    def check() -> str | None:
        if any(Path(c).is_file() for c in candidates):
            return None
        return f"none of {', '.join(candidates)}"

    return check


def _adb() -> str | None:
    from lab.device.adb_server import adb_binary

    try:
        done = subprocess.run([adb_binary(), "version"], capture_output=True, text=True,
                              timeout=30, check=False)  # fmt: skip
    except (LabError, OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    return None if done.returncode == 0 else f"adb version exited {done.returncode}"


def _static_libc() -> str | None:
    if not shutil.which("cc"):
        return "`cc` is not on PATH"
    done = subprocess.run(["cc", "-print-file-name=libc.a"], capture_output=True, text=True,
                          timeout=30, check=False)  # fmt: skip
    found = Path(done.stdout.strip())
    return None if found.is_absolute() and found.is_file() else "no static libc (libc.a)"


def _namespaces() -> str | None:
    done = subprocess.run(["unshare", "-rm", sys.executable, "-c", ""], capture_output=True,
                          text=True, timeout=30, check=False)  # fmt: skip
    return None if done.returncode == 0 else f"unshare -rm: {done.stderr.strip()[:200]}"


def _runtime() -> str | None:
    from lab.runtime import runtime_dir

    try:
        folder = runtime_dir()
    except LabError as exc:
        return exc.message
    return None if os.access(folder, os.W_OK) else f"{folder} is not writable"


def _allure() -> str | None:
    from lab.report.html import allure_binary

    try:
        allure_binary(install=False)
    except LabError:
        return None if shutil.which("npm") else "no Allure 3 CLI, and no npm to install it"
    return None


def parts() -> list[Part]:
    from lab.sim.userland.image import PROGRAMS  # only the CLI reaches into lab.sim

    farm = "the virtual farm"
    found = [
        Part("adb (the adbutils wheel's)", farm, _adb, "pip install --force-reinstall adbutils"),
        Part("user namespaces", farm, _namespaces,
             "sysctl -w kernel.unprivileged_userns_clone=1 (or run as root)"),
        Part("the runtime folder", farm, _runtime, "export LAB_RUNTIME_DIR=<a folder of yours>"),
        Part("a C compiler (cc)", farm, _command("cc"), f"{APT} gcc"),
        Part("a static libc", farm, _static_libc, f"{APT} libc6-dev"),
        Part("patchelf", farm, _command("patchelf"), f"{APT} patchelf"),
        Part("the device's font", farm,
             _file("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                   "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
             f"{APT} fonts-wqy-microhei"),
    ]  # fmt: skip
    for name, (package, candidates) in PROGRAMS.items():
        found.append(Part(f"{name} ({package})", farm, _file(*candidates), f"{APT} {package}"))
    found += [
        Part("apksigner", "the store: installs and uploads", _command("apksigner"),
             f"{APT} apksigner"),
        Part("espeak-ng", "the voice suite", _command("espeak-ng"), f"{APT} espeak-ng"),
        Part("sox", "the voice suite", _command("sox"), f"{APT} sox"),
        Part("ffmpeg", "screenrecord on the virtual devices", _command("ffmpeg"),
             f"{APT} ffmpeg"),
        Part("the Allure 3 CLI (or npm)", "the HTML report", _allure, f"{APT} nodejs npm"),
        Part("redis-server", "a Redis lease store (several controllers)",
             _command("redis-server"), f"{APT} redis-server"),
        Part("ser2net", "lab farm export", _command("ser2net"), f"{APT} ser2net"),
        Part("socat", "lab farm export", _command("socat"), f"{APT} socat"),
        Part("PortAudio", "a real device's sound card",
             _file("/usr/lib/x86_64-linux-gnu/libportaudio.so.2",
                   "/usr/lib/aarch64-linux-gnu/libportaudio.so.2"),
             f"{APT} libportaudio2"),
    ]  # fmt: skip
    return found


@click.command()
def doctor() -> None:
    """Check this machine for what the lab needs, and say how to fix what is missing."""
    missing_required = 0
    for part in parts():
        problem = part.check()
        if problem is None:
            stdout.print(f"[green]ok[/]       {part.name}", soft_wrap=True)
            continue
        label = "[red]MISSING[/]" if part.required else "[yellow]missing[/]"
        missing_required += part.required
        stdout.print(f"{label}  {part.name} (for {part.needed_by}): {problem}", soft_wrap=True)
        stdout.print(f"         fix: {part.fix}", markup=False, soft_wrap=True)
    if missing_required:
        stdout.print(f"the virtual farm cannot run: {missing_required} part(s) missing")
        sys.exit(1)
    stdout.print("the virtual farm can run here")
