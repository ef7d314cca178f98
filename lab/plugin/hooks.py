"""The lab's pytest hooks: markers and the plugins it registers, one test per matching
device (or a pool with --shard), xdist groups per device, Ctrl-C inside a test, and what a
failed test's report gets (its category, its devices' artifacts)."""

from __future__ import annotations

import contextlib

import allure
import pytest

from lab.device.errors import DeviceUnavailable
from lab.errors import Category
from lab.plugin import record, timeout
from lab.plugin.artifacts import Attach
from lab.plugin.devices import POOL, SPANS
from lab.plugin.outcomes import label_failure
from lab.plugin.progress import RunProgress
from lab.plugin.redaction import ReportRedaction
from lab.plugin.retry import note_if_lost
from lab.plugin.selection import assign_roles, matching, need_of, why_none
from lab.plugin.session import SESSION_KEY, lab_session
from lab.report import redacting_logger
from lab.report.categories import LABEL
from lab.tos.paths import in_scope

_CONFIG: list[pytest.Config] = []  # this process's config, for report hooks


@pytest.hookimpl(trylast=True)  # after allure-pytest has registered its file logger
def pytest_configure(config: pytest.Config) -> None:
    redacting_logger.install(config)
    config.pluginmanager.register(ReportRedaction(), "tos-lab-redaction")
    config.pluginmanager.register(timeout, "tos-lab-timeout")
    config.addinivalue_line("markers", "device_class(*classes): run only on these device classes")
    config.addinivalue_line(
        "markers",
        "requires(*capabilities): run only on devices that have "
        "all these capabilities (docs/INVENTORY.md)",
    )
    config.addinivalue_line(
        "markers",
        "requirement(*ids): the compatibility requirements this test verifies "
        "(the TOS+ definition: lab/tos/data/certification/)",
    )
    record.configure(config)
    run_id = config.getoption("--lab-run-id")
    if run_id and not hasattr(config, "workerinput"):  # the controller counts for all
        store = lab_session(config).leases
        paths = [str(a) for a in config.args]
        config.pluginmanager.register(RunProgress(store, run_id, paths), "tos-lab-progress")
    config.addinivalue_line(
        "markers",
        "devices(**roles): several devices at once, role=class[:capabilities] "
        "(e.g. pad='phone:gamepad', screen='tv'); use the `duts` fixture",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "dut" in metafunc.fixturenames:
        session = lab_session(metafunc.config)
        need = need_of(list(metafunc.definition.iter_markers()), metafunc.definition.name)
        found = matching(session.devices, need)
        if found and metafunc.config.getoption("--shard"):
            pool = POOL + ",".join(d.id for d in found)
            metafunc.parametrize("dut", [pool], indirect=True, ids=["shard"])
        elif found:
            metafunc.parametrize(
                "dut", [d.id for d in found], indirect=True, ids=[d.id for d in found]
            )
        else:
            reason = why_none(session.devices, need)
            metafunc.parametrize(
                "dut",
                [pytest.param(None, marks=pytest.mark.skip(reason=reason))],
                indirect=True,
                ids=["no-device"],
            )
    if "duts" in metafunc.fixturenames:
        session = lab_session(metafunc.config)
        marker = metafunc.definition.get_closest_marker("devices")
        roles = dict(marker.kwargs) if marker else {}
        chosen = assign_roles(session.devices, roles) if roles else None
        if chosen:
            name = "+".join(d.id for d in chosen.values())
            metafunc.parametrize(
                "duts", [{r: d.id for r, d in chosen.items()}], indirect=True, ids=[name]
            )
        else:
            wanted = ", ".join(f"{r}={c}" for r, c in roles.items()) or "none declared"
            reason = f"needs devices {wanted} at once; the selection has too few"
            metafunc.parametrize(
                "duts",
                [pytest.param(None, marks=pytest.mark.skip(reason=reason))],
                indirect=True,
                ids=["no-devices"],
            )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Group each device's tests for `-n N --dist loadgroup`: a worker then keeps a device,
    and N workers run N devices at once."""
    record.collected(items)
    excluded = config.getoption("--lab-exclude")
    if excluded:
        dropped = [i for i in items if any(in_scope(str(i.path), i.nodeid, s) for s in excluded)]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = [i for i in items if i not in dropped]
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None:
            continue
        if str(callspec.params.get("dut", "")).startswith(POOL):
            continue  # shared out: any free device of the pool takes it
        if isinstance(callspec.params.get("dut"), str):
            item.add_marker(pytest.mark.xdist_group(callspec.params["dut"]))
        elif isinstance(callspec.params.get("duts"), dict):
            item.add_marker(pytest.mark.xdist_group("+".join(callspec.params["duts"].values())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """A Ctrl-C during a test ends it as skipped ("interrupted") and stops the session
    after it: pytest would leave it with no call report, and Allure would call it passed
    from its setup's outcome (a silent wrong answer)."""
    session = item.config.stash.get(SESSION_KEY, None)
    try:
        if session is None:
            return (yield)
        with session.watchdog.armed():
            return (yield)
    except KeyboardInterrupt:
        item.session.shouldstop = "interrupted (Ctrl-C)"
        pytest.skip("interrupted (Ctrl-C) before it ended: neither passed nor failed")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if call.excinfo is None or report.when not in ("setup", "call") or not report.failed:
        return report  # passed, or skipped (an interrupted test too): no failure to file
    session = item.config.stash.get(SESSION_KEY, None)
    error = call.excinfo.value
    spans = item.stash.get(SPANS, [])
    lost = report.when == "call" and note_if_lost(item, error, [s.dut for s in spans])
    if lost:  # the report says what happened to the device, whatever the error's class
        category = Category.DEVICE_LOST
        allure.dynamic.label(LABEL, category.value)
    else:
        category = label_failure(call.excinfo)  # from the class of what was raised
    # for the run's record: the category, and the status as Allure gives it (an assertion
    # or pytest.fail is "failed", anything else "broken", whatever the phase)
    failed = isinstance(error, AssertionError) or call.excinfo.typename == "Failed"
    report.user_properties.append(("category", category.value))
    report.user_properties.append(("status", "failed" if failed else "broken"))
    if session is None:
        return report  # no device test ran in this process
    if isinstance(error, DeviceUnavailable):
        Attach().text(f"{error.device_id} health check", error.report or error.message)
        return report
    if report.failed:
        for span in spans:
            span.attach_failure(lost=span.dut.id in session.readiness.lost)
    return report


def pytest_collection_finish(session: pytest.Session) -> None:
    record.finished(session.config, session.items)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _CONFIG:
        record.reported(_CONFIG[0], report)


def pytest_sessionstart(session: pytest.Session) -> None:
    _CONFIG[:] = [session.config]
    config = session.config
    if config.getoption("--update-goldens") and not hasattr(config, "workerinput"):
        with contextlib.suppress(pytest.UsageError):
            (lab_session(config).report_dir / "golden-changes.jsonl").unlink(missing_ok=True)
