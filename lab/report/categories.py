"""How failures are sorted in the report: one rule per lab.errors.Category, in its order,
matching the `failure` label the pytest plugin puts on each failed or broken result
(from the class of what was raised). Allure 3 reads the rules from its config file."""

from __future__ import annotations

from lab.errors import Category

LABEL = "failure"

CATEGORIES: list[dict[str, object]] = [
    {
        "name": category.value,
        "matchers": {"statuses": list(category.statuses), "labels": {LABEL: category.value}},
    }
    for category in Category
]


def result_category(result: dict) -> str | None:
    """The category a result of an Allure results folder is in (None if it passed)."""
    if result.get("status") not in ("failed", "broken"):
        return None
    for label in result.get("labels", []):
        if label.get("name") == LABEL:
            return str(label.get("value"))
    return None
