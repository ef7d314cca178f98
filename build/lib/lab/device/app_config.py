"""Pointing an app on a device at a lab service, as one points a real test device at a
sandbox: its settings (keys among them, so never on a command line) in a JSON file pushed
over adb (mode 0600 on this side), then a broadcast naming the file to the app's receiver,
which reads and deletes it and answers RESULT_OK (-1) with what it now is."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from lab.device.dut import Dut


def push_config(
    dut: Dut, action: str, receiver: str, remote: str, settings: dict, timeout: float = 15.0
) -> tuple[bool, str]:
    """(accepted, what the app said)."""
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / "config.json"
        fd = os.open(local, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(settings, handle)
        dut.adb.push(local, remote, timeout=timeout)
    done = dut.shell(
        ["am", "broadcast", "-a", action, "-n", receiver, "--es", "config", remote],
        timeout=timeout,
    )
    answer = re.search(r"result=(-?\d+)(?:, data=\"(.*)\")?", done.stdout)
    said = answer.group(2) if answer and answer.group(2) else done.stdout.strip()
    return bool(answer and answer.group(1) == "-1"), said
