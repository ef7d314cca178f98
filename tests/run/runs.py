"""Helpers to run `lab run` on a temporary suite and read back what it wrote."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path


def write_suite(folder: Path, body: str, name: str = "test_temporary.py") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(body))
    return folder


def results(report_dir: Path) -> list[dict]:
    return [
        json.loads(p.read_text())
        for p in sorted((report_dir / "allure-results").glob("*-result.json"))
    ]


def labels(result: dict, name: str) -> list[str]:
    return [label["value"] for label in result["labels"] if label["name"] == name]


def attachment(report_dir: Path, result: dict, name: str) -> Path:
    for item in result.get("attachments", []):
        if item["name"] == name:
            return report_dir / "allure-results" / item["source"]
    raise AssertionError(
        f"no attachment {name!r}; have {[a['name'] for a in result.get('attachments', [])]}"
    )


def lease_spans(log: Path, since: float) -> dict[str, list[tuple[str, float, float]]]:
    """Per device, (holder, acquired, released) of every lease in `log` since `since`."""
    found: dict[str, list[tuple[str, float, float]]] = {}
    opened: dict[tuple[str, str], float] = {}
    for line in log.read_text().splitlines():
        entry = json.loads(line)
        if entry["t"] < since:
            continue  # earlier runs
        key = (entry["device"], entry["holder"])
        if entry["event"] == "acquire":
            opened[key] = entry["t"]
        elif entry["event"] == "release" and key in opened:
            found.setdefault(entry["device"], []).append((entry["holder"], opened.pop(key),
                                                          entry["t"]))  # fmt: skip
    return found
