"""A per-device summary of a run, read back from the Allure result files."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

STATUSES = ("passed", "failed", "broken", "skipped")


@dataclass
class DeviceSummary:
    device: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def summarize(results: Path) -> list[DeviceSummary]:
    by_device: dict[str, DeviceSummary] = {}
    for path in sorted(results.glob("*-result.json")):
        try:
            result = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        labels = defaultdict(list)
        for label in result.get("labels", []):
            labels[label.get("name")].append(label.get("value"))
        device = (labels.get("parentSuite") or ["(no device)"])[0]
        summary = by_device.setdefault(device, DeviceSummary(device))
        status = result.get("status", "broken")
        summary.counts[status if status in STATUSES else "broken"] += 1
        summary.seconds += max(0, (result.get("stop", 0) - result.get("start", 0)) / 1000)
    return sorted(by_device.values(), key=lambda s: s.device)
