"""How failures are sorted in the report. Allure 3 reads these from its config file (it
ignores categories.json in the results folder); order matters: first match wins."""

from __future__ import annotations

CATEGORIES: list[dict[str, object]] = [
    {
        "name": "Device lost",
        "matchedStatuses": ["failed", "broken"],
        "messageRegex": "(?s).*(device lost|DeviceLost).*",
    },
    {
        "name": "Timeout",
        "matchedStatuses": ["failed", "broken"],
        "messageRegex": "(?s).*(: timeout: |DeviceTimeout|Timeout|timed out).*",
    },
    {
        "name": "Vision mismatch",
        "matchedStatuses": ["failed", "broken"],
        "messageRegex": "(?s).*(vision mismatch|VisionMismatch).*",
    },
    {
        "name": "Lab infrastructure",
        "matchedStatuses": ["broken"],
        "messageRegex": "(?s).*(LeaseTimeout|bad capture|no lease).*",
    },
    {"name": "Product defect", "matchedStatuses": ["failed"]},
    {"name": "Test defect", "matchedStatuses": ["broken"]},
]
