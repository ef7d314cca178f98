"""The folder a virtual device sees as `/`, laid out as on Android before its init starts.

Only this setup touches the folder from the host side; afterwards every file operation goes
through the device's init (lab.sim.userland.files), which resolves paths inside the root.
"""

from __future__ import annotations

import os
from pathlib import Path

FOLDERS = (
    "system",  # the system image is mounted here, read-only
    "proc",
    "sys",
    "dev/socket",
    "data/local/tmp",
    "data/app",
    "data/system",
    "data/user_de/0/com.android.shell/files/bugreports",
    "storage/emulated/0/Download",
    "storage/emulated/0/Pictures",
    "mnt",
    "cache",
)
LINKS = {  # as on a device: /etc and /bin are /system's, /sdcard is the primary storage
    "etc": "/system/etc",
    "bin": "/system/bin",
    "sdcard": "/storage/emulated/0",
    "bugreports": "/data/user_de/0/com.android.shell/files/bugreports",
}
DEV_NODES = ("null", "zero", "full", "random", "urandom", "tty")  # bind-mounted by init


def prepare_root(root: Path) -> None:
    for folder in FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    os.chmod(root / "data/local/tmp", 0o771)
    # as on a device, the shell may pass through these but not list or write them (they
    # belong to `system` there; here everything is uid 2000, so the owner bits say no)
    for private in ("data/app", "data/system"):
        os.chmod(root / private, 0o111)
    for name, target in LINKS.items():
        link = root / name
        if not link.is_symlink():
            link.symlink_to(target)
    for node in DEV_NODES:
        (root / "dev" / node).touch(exist_ok=True)
