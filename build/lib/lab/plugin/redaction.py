"""Secrets out of pytest's own reports: the failure text and the captured output a test
report carries, before the terminal, JUnit XML and allure-pytest read them."""

from __future__ import annotations

import pytest

from lab.redaction import redact


class ReportRedaction:
    @pytest.hookimpl(wrapper=True, trylast=True)  # innermost: its changes are seen by all
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        if report.longrepr is not None:
            text = str(report.longrepr)
            cleaned = redact(text)
            if cleaned != text:  # keep pytest's rich form unless it must change
                report.longrepr = cleaned
        report.sections = [(title, redact(content)) for title, content in report.sections]
        return report
