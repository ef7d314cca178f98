"""Which report category a failure belongs to: the category its error class carries
(lab.errors.Category), else what pytest's own outcomes mean."""

from __future__ import annotations

import allure
import pytest

from lab.errors import Category
from lab.report.categories import LABEL


def error_category(excinfo: pytest.ExceptionInfo) -> Category:
    error = excinfo.value
    carried = getattr(type(error), "category", None)
    if isinstance(carried, Category):
        return carried
    if excinfo.typename == "Failed" and str(error).startswith("Timeout"):
        return Category.TIMEOUT  # pytest-timeout stopped the test
    if isinstance(error, AssertionError) or excinfo.typename == "Failed":
        return Category.PRODUCT_DEFECT
    return Category.TEST_DEFECT


def label_failure(excinfo: pytest.ExceptionInfo) -> Category:
    """Put the category on the test's (still open) Allure result."""
    category = error_category(excinfo)
    allure.dynamic.label(LABEL, category.value)
    return category
