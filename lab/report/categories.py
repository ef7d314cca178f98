r"""How failures are sorted in the report. Allure 3 reads these from its config file (it
ignores categories.json in the results folder); order matters: first match wins.
Patterns are JavaScript regexes matched against the whole message: no inline flags, so
`[\s\S]*` stands for "anything, newlines included"."""

from __future__ import annotations

CATEGORIES: list[dict[str, object]] = [
    {
        "name": "Device lost",
        "matchedStatuses": ["failed", "broken"],
        "messageRegex": "[\\s\\S]*(device lost|DeviceLost)[\\s\\S]*",
    },
    {
        "name": "Timeout",
        "matchedStatuses": ["failed", "broken"],
        "messageRegex": "[\\s\\S]*(: timeout: |DeviceTimeout|Timeout|timed out)[\\s\\S]*",
    },
    {
        "name": "Vision mismatch",
        "matchedStatuses": ["failed", "broken"],
        "messageRegex": "[\\s\\S]*(vision mismatch|VisionMismatch)[\\s\\S]*",
    },
    {
        "name": "Lab infrastructure",
        "matchedStatuses": ["broken"],
        "messageRegex": "[\\s\\S]*(LeaseTimeout|bad capture|no lease)[\\s\\S]*",
    },
    {"name": "Product defect", "matchedStatuses": ["failed"]},
    {"name": "Test defect", "matchedStatuses": ["broken"]},
]
