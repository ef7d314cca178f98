"""Third-party clients against the virtual farm: each test is one ordinary operation of
one client, checked for the answer a real device gives.

`client` marks which client a test belongs to (the module's `pytestmark`); `clear_failure`
marks an operation whose right answer is a clear failure (a real device fails it too, or a
virtual device genuinely lacks it and says so). Each report
gets its client (user_properties); tests/fidelity.py counts them, on the xdist controller
too, into reports/fidelity.json and the terminal summary (docs/FIDELITY.md quotes a run).
"""

from __future__ import annotations

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    marker = item.get_closest_marker("client")
    if marker is not None:
        report.user_properties.append(("client", marker.args[0]))
        if item.get_closest_marker("clear_failure"):
            report.user_properties.append(("clear_failure", True))
    return report
