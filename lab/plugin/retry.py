"""Retry elsewhere: a test whose device was lost mid-test (it went away: the connection
dropped, or it stopped answering and its adb server no longer lists it) runs once more on
another device of the same class that fits the test, never on the same one. A test of
several devices (`duts`) keeps its other roles' devices and gets another for the lost
one's role. Both attempts are reported (Allure shows the first, "Device lost", among the
retries of the second); the terminal shows the first as R. A test that failed on a device
that is still there is a product failure and is never run again. The two attempts share
the test's timeout."""

from __future__ import annotations

import contextlib

import pytest
from _pytest.runner import runtestprotocol

from lab.device.dut import Dut
from lab.device.errors import DeviceError, DeviceLost, DeviceTimeout
from lab.errors import LabError
from lab.farm.health import Health
from lab.plugin.selection import need_of, role_need
from lab.plugin.session import SESSION_KEY

# where the second attempt runs: the role of a `duts` test whose device was lost (None for
# `dut`), and the devices it may take instead
ELSEWHERE = pytest.StashKey[tuple[str | None, list[str]]]()
LOST = pytest.StashKey[str]()  # the device the test lost in its call


def vanished(dut: Dut, error: BaseException) -> bool:
    """The device went away, as opposed to answering wrongly (a product failure)."""
    if isinstance(error, DeviceLost):
        return True
    if not isinstance(error, DeviceTimeout):
        return False
    try:  # slow or gone? gone when its adb server no longer lists it, or cannot be reached
        return dut.adb.state(timeout=3.0) != "device"
    except DeviceError:
        return True
    except LabError:
        return False  # our lease is gone: not the device's doing


def note_if_lost(item: pytest.Item, error: BaseException, duts: list[Dut]) -> bool:
    """Whether the test's call lost one of its devices; if so it is noted for this process
    (waited for before its next test), for the retry, and in the farm's books (bad)."""
    session = item.config.stash.get(SESSION_KEY, None)
    device_id = getattr(error, "device_id", None)
    dut = next((d for d in duts if d.id == device_id), None)
    if session is None or dut is None or not vanished(dut, error):
        return False
    why = getattr(error, "message", str(error))
    session.readiness.lost[dut.id] = why
    item.stash[LOST] = dut.id
    with contextlib.suppress(LabError):  # the books away: the report still says it
        session.leases.mark(dut.id, Health.BAD, f"lost mid-test: {why}", session.holder)
    return True


def candidates(item: pytest.Item, lost_id: str) -> tuple[str | None, list[str]]:
    """(the lost device's role in a `duts` test or None, the devices that may replace it):
    of its class, fitting the test (or the role), and not one the test holds already."""
    session = item.config.stash[SESSION_KEY]
    callspec = getattr(item, "callspec", None)
    roles = callspec.params.get("duts") if callspec else None
    if isinstance(roles, dict) and lost_id in roles.values():
        role = next(r for r, i in roles.items() if i == lost_id)
        marker = item.get_closest_marker("devices")
        need = role_need(marker.kwargs[role]) if marker else need_of([])
        held = set(roles.values())
        return role, [d.id for d in session.devices if d.id not in held and need.accepts(d)]
    lost = session.inventory.device(lost_id)
    need = need_of(list(item.iter_markers()))
    return None, [
        d.id
        for d in session.devices
        if d.id != lost_id and d.device_class == lost.device_class and need.accepts(d)
    ]


def _retryable(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return ("dut" in names or "duts" in names) and SESSION_KEY in item.config.stash


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    if not _retryable(item):
        return None  # pytest's own protocol
    hook = item.ihook
    hook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    reports = runtestprotocol(item, nextitem=nextitem, log=False)
    lost = item.stash.get(LOST, None)
    role, others = candidates(item, lost) if lost else (None, [])
    for report in reports:
        if others and report.when == "call" and report.failed:
            report.outcome = "rerun"  # type: ignore[assignment]
        hook.pytest_runtest_logreport(report=report)
    hook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    if others:
        item.stash[ELSEWHERE] = (role, others)
        del item.stash[LOST]
        hook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
        runtestprotocol(item, nextitem=nextitem, log=True)
        hook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


def pytest_report_teststatus(report: pytest.TestReport) -> tuple[str, str, tuple] | None:
    if report.outcome == "rerun":
        return "rerun", "R", ("RERUN (device lost)", {"yellow": True})
    return None
