"""An app's configuration receiver: the lab pushes a JSON file (it holds secrets, so never
a command line) and names it in a broadcast, the way one points a real test device at a
sandbox, e.g.

    am broadcast -a com.tos.wallet.action.CONFIGURE -n com.tos.wallet/.SandboxReceiver \\
        --es config /data/local/tmp/tos-pay.json

The file is read and deleted; the result says what the app now is, or what is wrong."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

OK = -1  # Activity.RESULT_OK


def receive(
    configure: Callable[[object], str], root: Path, extras: dict[str, str]
) -> tuple[int, str]:
    """`configure(data)` returns what was configured or raises ValueError saying why."""
    path = extras.get("config", "")
    if not path.startswith("/"):
        return 0, "error: --es config names the pushed JSON file (an absolute path)"
    local = root / path.lstrip("/")
    try:
        data = json.loads(local.read_text())
    except FileNotFoundError:
        return 0, f"error: no file {path} on the device"
    except (OSError, ValueError) as exc:
        return 0, f"error: {path} is not a JSON config ({type(exc).__name__})"
    finally:
        local.unlink(missing_ok=True)  # secrets do not linger in /data/local/tmp
    try:
        what = configure(data)
    except ValueError as exc:
        return 0, f"error: {exc}"
    return OK, f"configured {what}"
