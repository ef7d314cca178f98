"""`environment.properties` in the results folder: what ran where (Allure shows it as
"Metadata"). allure-pytest writes none, so the lab does."""

from __future__ import annotations

import platform
from pathlib import Path

import lab


def write_environment(results: Path, inventory: str | None, fingerprints: dict[str, str]) -> Path:
    lines = {
        "lab.version": lab.__version__,
        "python": platform.python_version(),
        "host": platform.node(),
        "inventory": inventory or "-",
    }
    for device_id, fingerprint in sorted(fingerprints.items()):
        lines[f"device.{device_id}"] = fingerprint
    results.mkdir(parents=True, exist_ok=True)
    path = results / "environment.properties"
    path.write_text("".join(f"{k}={_escape(v)}\n" for k, v in lines.items()))
    return path


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("=", "\\=").replace(":", "\\:")
