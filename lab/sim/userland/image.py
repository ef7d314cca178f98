"""The system image every virtual device mounts read-only on /system: Android's own shell
(mksh) and commands (toybox, one-true-awk) from Debian, relinked to load from
/system/lib64 through /system/bin/linker64 as on a device, plus `tosbox` (PID 1 and the
framework commands' client, see tosbox/tosbox.h) compiled here.

One image per content hash, built once into the runtime folder and shared by all devices.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

from lab.errors import LabError

HERE = Path(__file__).parent
SOURCE_DIR = HERE / "tosbox"  # tosbox's C sources; tosbox.h says which does what
IMAGE_VERSION = "9"  # bump when the layout below changes
log = logging.getLogger("image")

# Commands the device's system server answers (lab/sim/android/commands): each is a link
# to tosbox, which hands its argv and stdio to the server, like a binder client.
FRAMEWORK = (
    "am",
    "app_process",
    "app_process64",
    "bugreport",
    "bugreportz",
    "cmd",
    "dumpsys",
    "getprop",
    "ime",
    "input",
    "log",
    "logcat",
    "monkey",
    "pm",
    "reboot",
    "screencap",
    "screenrecord",
    "service",
    "setprop",
    "settings",
    "svc",
    "uiautomator",
    "wm",
)
# toybox applets a user build does not offer to the shell user, or that the framework owns
LEFT_OUT = {"su", "halt", "poweroff", "reboot", "login", "passwd", "mkpasswd", "chroot"}

PROGRAMS = {  # name in /system/bin -> (Debian package, candidate host paths)
    "sh": ("mksh", ("/usr/bin/mksh", "/bin/mksh")),
    "toybox": ("toybox", ("/usr/bin/toybox", "/bin/toybox")),
    "awk": ("original-awk", ("/usr/bin/original-awk",)),
    # Android's toybox has these; Debian builds toybox without them, so the GNU ones stand in
    "tr": ("coreutils", ("/usr/bin/tr", "/bin/tr")),
    "dd": ("coreutils", ("/usr/bin/dd", "/bin/dd")),
    "expr": ("coreutils", ("/usr/bin/expr", "/bin/expr")),
    "stty": ("coreutils", ("/usr/bin/stty", "/bin/stty")),
    "diff": ("diffutils", ("/usr/bin/diff",)),
    "gzip": ("gzip", ("/usr/bin/gzip", "/bin/gzip")),
    "getopt": ("util-linux", ("/usr/bin/getopt",)),
}

MKSHRC = r"""# /system/etc/mkshrc: interactive shells (adb shell, serial console) read it via $ENV
: "${HOSTNAME:=$(getprop ro.product.device)}"
# as Android's: the last exit status when not 0, then host:cwd and $ (the shell user)
PS1='${|
	local e=$?
	(( e )) && REPLY+="$e|"
	return $e
}$HOSTNAME:${PWD:-?} $ '
if [ "$HOSTNAME" = console ]; then
	set +o emacs +o vi  # a UART: the line discipline echoes; no line editor redraws
fi
"""

# Android's toybox shows these columns by default; Debian's build shows procps-style ones,
# which clients parsing `ps -A` (uiautomator2, Mobly) do not expect.
PS = """#!/system/bin/sh
for a; do
	case $a in -o*|-O*|-f|-l|-Z|--help) exec -a ps /system/bin/toybox "$@";; esac
done
exec -a ps /system/bin/toybox -o USER,PID,PPID,VSZ,RSS,WCHAN:10,ADDR:10,S,NAME "$@"
"""

PASSWD = "root:x:0:0::/:/system/bin/sh\nsystem:x:1000:1000::/:/system/bin/sh\n"
PASSWD += "shell:x:2000:2000::/:/system/bin/sh\n"
GROUP = "root:x:0:\nsystem:x:1000:\nshell:x:2000:\n"
HOSTS = "127.0.0.1       localhost\n::1             ip6-localhost\n"


def _host_program(name: str) -> Path:
    package, candidates = PROGRAMS[name]
    for candidate in candidates:
        if Path(candidate).is_file():
            return Path(candidate)
    raise LabError(
        f"the device userland needs {candidates[0]} (Debian package {package})",
        hint=f"run `make setup` as root, or: sudo apt-get install {package}",
    )


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if not found:
        raise LabError(
            f"building the device userland needs `{name}`",
            hint=f"run `make setup` as root, or: sudo apt-get install {package}",
        )
    return found


def _libraries(binary: Path) -> dict[str, Path]:
    """soname -> host path of every shared library `binary` loads (`ldd`), loader included."""
    done = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=False)
    found: dict[str, Path] = {}
    for line in done.stdout.splitlines():
        match = re.match(r"\s*(\S+)\s+=>\s+(/\S+)", line) or re.match(r"\s*(/\S+)\s+\(", line)
        if match:
            path = Path(match.groups()[-1])
            found[path.name] = path
    return found


def _android_diagnostics(binary: Path) -> int:
    """Make Debian's mksh word its messages as Android's does.

    Android's /system/bin/sh is mksh R59c: `/system/bin/sh: frobnicate: inaccessible or not
    found`. Debian's later build (mksh's 2022 warning framework) puts `E: ` or `W: ` before
    every such message: vwarnf() writes the prefix with shf_write("E: ", 3, shl_out). The
    prefix's writes are made 0 bytes long (`mov $3,%esi` next to the `lea` of the string
    becomes `mov $0,%esi`); nothing else in the binary changes. Returns how many writes
    were changed (0: not this build of mksh, left as it is)."""
    data = bytearray(binary.read_bytes())
    if data[:5] != b"\x7fELF\x02":  # 64-bit ELF only (x86-64: the instructions below)
        return 0
    (phoff,) = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads = []  # (file offset, virtual address, size) of each PT_LOAD segment
    for index in range(phnum):
        kind, _, offset, vaddr, _, size = struct.unpack_from(
            "<IIQQQQ", data, phoff + index * phentsize
        )
        if kind == 1:
            loads.append((offset, vaddr, size))

    def address(offset: int) -> int | None:
        return next((v + offset - o for o, v, n in loads if o <= offset < o + n), None)

    prefixes = {
        address(found.start())
        for text in (b"E: \0", b"W: \0")
        for found in re.finditer(re.escape(text), data)
    }
    prefixes.discard(None)
    changed = 0
    for pattern, length_at, lea_at in (
        (rb"\xbe\x03\x00\x00\x00\x48\x8d\x3d(.{4})", 1, 5),  # mov $3,%esi; lea s(%rip),%rdi
        (rb"\x48\x8d\x3d(.{4})\xbe\x03\x00\x00\x00", 8, 0),  # the same, the other way round
    ):
        for found in re.finditer(pattern, data, re.DOTALL):
            lea = address(found.start() + lea_at)
            relative = int.from_bytes(found.group(1), "little", signed=True)
            if lea is not None and lea + 7 + relative in prefixes:
                data[found.start() + length_at] = 0
                changed += 1
    if changed:
        binary.write_bytes(data)
    else:
        log.warning("%s: no E:/W: message prefix found to remove; messages keep it", binary)
    return changed


def _sources() -> list[Path]:
    return sorted(SOURCE_DIR.glob("*.c"))


def _fingerprint() -> str:
    digest = hashlib.sha256(IMAGE_VERSION.encode())
    for source in sorted(SOURCE_DIR.glob("*.[ch]")):
        digest.update(source.name.encode() + source.read_bytes())
    digest.update(Path(__file__).read_bytes())
    for name in PROGRAMS:
        info = _host_program(name).stat()
        digest.update(f"{name}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def system_image(folder: Path) -> Path:
    """The image for this host and this lab version under `folder`, built if missing."""
    target = folder / f"system-{_fingerprint()}"
    if (target / ".complete").exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".empty").mkdir(exist_ok=True)  # the overlay's second (empty) layer
    staging = Path(tempfile.mkdtemp(prefix=".system-", dir=folder))
    try:
        _build(staging)
        (staging / ".complete").write_text("")
        try:
            staging.rename(target)
        except OSError:
            if not (target / ".complete").exists():  # not a concurrent build that won
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _build(root: Path) -> None:
    bin_dir, lib_dir, etc_dir = root / "bin", root / "lib64", root / "etc"
    for folder in (bin_dir, lib_dir, etc_dir):
        folder.mkdir(parents=True)
    cc = _tool("cc", "gcc")
    done = subprocess.run(
        [cc, "-O2", "-static", "-o", str(bin_dir / "tosbox"), *map(str, _sources())],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise LabError(
            f"compiling {SOURCE_DIR} failed:\n{done.stderr.strip()}",
            hint="the static build needs gcc and libc6-dev (`make setup` installs them)",
        )
    patchelf = _tool("patchelf", "patchelf")
    libraries: dict[str, Path] = {}
    for name in PROGRAMS:
        source = _host_program(name)
        shutil.copy2(source, bin_dir / name)
        libraries.update(_libraries(source))
    _android_diagnostics(bin_dir / "sh")
    loader = next((p for n, p in libraries.items() if n.startswith("ld-linux")), None)
    if loader is None:
        raise LabError("could not find the dynamic loader that mksh and toybox use (ldd)")
    shutil.copy2(loader, bin_dir / "linker64")
    for soname, path in libraries.items():
        if not soname.startswith("ld-linux"):
            shutil.copy2(path, lib_dir / soname)
    for name in PROGRAMS:
        subprocess.run(
            [
                patchelf,
                "--set-interpreter",
                "/system/bin/linker64",
                "--force-rpath",  # DT_RPATH: also how libm finds libc
                "--set-rpath",
                "/system/lib64",
                str(bin_dir / name),
            ],
            capture_output=True,
            check=True,
        )
    applets = subprocess.run(
        [str(_host_program("toybox"))], capture_output=True, text=True, check=True
    ).stdout.split()
    for applet in applets:
        if applet not in LEFT_OUT and applet not in FRAMEWORK and applet != "ps":
            with contextlib.suppress(FileExistsError):
                (bin_dir / applet).symlink_to("toybox")
    for command in FRAMEWORK:
        (bin_dir / command).symlink_to("tosbox")
    (bin_dir / "ps").write_text(PS)
    (bin_dir / "ps").chmod(0o755)
    for name, text in (
        ("mkshrc", MKSHRC),
        ("passwd", PASSWD),
        ("group", GROUP),
        ("hosts", HOSTS),
    ):
        (etc_dir / name).write_text(text)
    for path in root.rglob("*"):
        if not path.is_symlink():
            os.chmod(path, 0o755 if path.is_dir() or path.parent == bin_dir else 0o644)
    os.chmod(root, 0o755)
