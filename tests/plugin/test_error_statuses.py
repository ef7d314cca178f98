"""Status and category agree for every error class of the lab: each one is raised in a real
pytest run with Allure, and its result's status is one its category's report rule matches
(a product defect or a wrong screen is "failed", a lab or device problem "broken"), with
its category's label. A class that would break the rule cannot even be defined."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import pytest

import lab
from lab.errors import Category, LabError, ProductFailure
from lab.report.categories import LABEL

ISLANDS = ("lab.sim", "lab.services")  # reached over adb and HTTP; never raised in a test


def _error_classes() -> list[type[LabError]]:
    for module in pkgutil.walk_packages(lab.__path__, "lab."):
        if not module.name.startswith(ISLANDS):
            importlib.import_module(module.name)
    found, todo = [], [LabError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return sorted(set(found), key=lambda c: (c.__module__, c.__qualname__))


SUITE = """
import importlib

import pytest

CLASSES = {classes!r}


@pytest.mark.parametrize("where", CLASSES)
def test_raises(where):
    module, name = where.rsplit(".", 1)
    cls = getattr(importlib.import_module(module), name)
    error = cls.__new__(cls)  # whatever its constructor takes: the class is what counts
    Exception.__init__(error, "synthetic")
    error.message, error.hint = "synthetic", None
    raise error
"""


def test_every_error_class_is_reported_with_a_status_its_category_allows(tmp_path):
    classes = [LabError, *_error_classes()]
    assert len(classes) > 25 and ProductFailure in classes
    (tmp_path / "test_errors.py").write_text(
        SUITE.format(classes=[f"{c.__module__}.{c.__qualname__}" for c in classes])
    )
    results = tmp_path / "allure"
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    f"--alluredir={results}", str(tmp_path / "test_errors.py")],
                   cwd=tmp_path, capture_output=True, text=True, timeout=300)  # fmt: skip
    reported = {}
    for path in results.glob("*-result.json"):
        result = json.loads(path.read_text())
        where = next(p["value"] for p in result["parameters"] if p["name"] == "where")
        label = next((x["value"] for x in result["labels"] if x["name"] == LABEL), None)
        reported[where.strip("'")] = (result["status"], label)
    wrong = []
    for cls in classes:
        where = f"{cls.__module__}.{cls.__qualname__}"
        status, label = reported[where]
        if status not in cls.category.statuses or label != cls.category.value:
            wrong.append(f"{where}: {status}/{label}, its category {cls.category.value} "
                         f"allows {cls.category.statuses}")  # fmt: skip
    assert not wrong, "\n".join(wrong)
    statuses = {reported[f"{c.__module__}.{c.__qualname__}"][0] for c in classes}
    assert statuses == {"failed", "broken"}  # both kinds are among them


def test_a_class_whose_category_and_kind_disagree_cannot_be_defined():
    with pytest.raises(TypeError, match="derive it from ProductFailure"):
        type("Refused", (LabError,), {"category": Category.PRODUCT_DEFECT})
    with pytest.raises(TypeError, match="must not be an AssertionError"):
        type("Busy", (ProductFailure,), {"category": Category.LAB_INFRASTRUCTURE})
