"""A test that runs past its time (pytest-timeout's `--timeout`, signal method) fails with
its own stack only. pytest-timeout prints the stacks of every other thread first, which in
a lab test are the lab's own (logcat and console readers, the lease heartbeat, the
watchdog): some 40 lines that hide the one that matters. Same timer, same failure
message (its category comes from it: Timeout), none of that noise; the thread method,
and a test run in a thread, stay pytest-timeout's."""

from __future__ import annotations

import signal
import threading

import pytest

MESSAGE = "Timeout (>%ss): the test ran past its time"


@pytest.hookimpl(tryfirst=True)
def pytest_timeout_set_timer(item: pytest.Item, settings) -> bool | None:
    if settings.method != "signal" or threading.current_thread() is not threading.main_thread():
        return None  # pytest-timeout's own

    def handler(signum, frame) -> None:
        __tracebackhide__ = True
        pytest.fail(MESSAGE % settings.timeout)

    def cancel() -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)

    item.cancel_timeout = cancel  # type: ignore[attr-defined]  # pytest-timeout's cancel calls it
    signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, settings.timeout)
    return True
