"""`lab farm serve` started as a user would, for the browser test and the farm bench: it
is up once its API answers; if it never does, the error carries what it printed."""

from __future__ import annotations

import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.virtual_farm import LAB


def serve_dashboard(inventory: Path, env: dict, port: int, *options: str) -> subprocess.Popen:
    # its output goes to a file, not a pipe nobody reads while it runs (a full pipe would
    # stall the server)
    output = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - the server writes to it while it runs
    server = subprocess.Popen(
        [LAB, "farm", "serve", "--inventory", str(inventory), "--port", str(port), *options],
        env=env, stdout=output, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/farm", timeout=2)
            return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                output.seek(0)
                raise AssertionError(f"lab farm serve did not come up:\n{output.read()}") from None
            time.sleep(0.2)
