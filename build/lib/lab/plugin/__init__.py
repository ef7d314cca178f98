"""The lab's pytest plugin (registered through the `pytest11` entry point).

Options: --inventory, --device ID (repeatable), --device-class, --lab-report-dir,
--lease-timeout, --device-timeout. Markers: device_class(...), requires(cap, ...),
devices(role=class, ...). Fixtures: dut (one test per matching device), duts (several
devices at once), lab_inventory, attach.
"""

from __future__ import annotations

import contextlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import allure
import pytest

from lab.device.dut import Dut
from lab.device.errors import DeviceUnavailable
from lab.errors import Category, LabError
from lab.inventory import Device, Inventory
from lab.plugin import record, timeout
from lab.plugin.artifacts import Attach
from lab.plugin.devices import POOL, SPANS, dut, duts
from lab.plugin.outcomes import label_failure
from lab.plugin.progress import RunProgress
from lab.plugin.redaction import ReportRedaction
from lab.plugin.retry import (
    note_if_lost,
    pytest_report_teststatus,
    pytest_runtest_protocol,
)
from lab.plugin.scenarios import (
    member,
    pin,
    rig,
    sandbox,
    shelf,
    shop,
    signing_keys,
    store,
    studio,
    wallet,
)
from lab.plugin.selection import assign_roles, matching, need_of, why_none
from lab.plugin.session import SESSION_KEY, lab_session
from lab.report import redacting_logger
from lab.report.categories import LABEL
from lab.report.environment import write_environment
from lab.tos.paths import in_scope

__all__ = [
    "attach",
    "dut",
    "duts",
    "lab_inventory",
    "member",
    "pin",
    "pytest_report_teststatus",
    "pytest_runtest_protocol",
    "rig",
    "sandbox",
    "shelf",
    "shop",
    "signing_keys",
    "store",
    "studio",
    "wallet",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tos-lab", "TOS+ Device Lab")
    group.addoption(
        "--inventory",
        default="device_inventory.yaml",
        help="device inventory YAML (default: %(default)s)",
    )
    group.addoption(
        "--device", action="append", metavar="ID", help="run only on this device (repeatable)"
    )
    group.addoption(
        "--device-class",
        choices=("watch", "tv", "headset", "phone"),
        help="run only on devices of this class",
    )
    group.addoption(
        "--lab-report-dir",
        default=None,
        help="where lab output goes (default: the inventory's farm.report_dir)",
    )
    group.addoption(
        "--lease-timeout",
        type=float,
        default=None,
        help="seconds to wait for a device lease (default: half the test timeout, at most "
        "600); must be shorter than the test timeout",
    )
    group.addoption(
        "--device-timeout",
        type=float,
        default=30.0,
        help="default seconds a device operation may take (default: %(default)s)",
    )
    group.addoption(
        "--goldens",
        default=None,
        help="the folder goldens are recorded in and read from first (default: goldens/ "
        "beside the inventory); the TOS+ kit's own are read after it",
    )
    group.addoption(
        "--voice-set",
        choices=("short", "full"),
        default="short",
        help="the voice suite's utterances: short (a few per device) or full (the "
        "acoustic metrics, hundreds; `make bench`) (default: %(default)s)",
    )
    group.addoption(
        "--shard",
        action="store_true",
        help="run each test once, on whichever selected device that fits it is free "
        "(devices of one model share the work, as a certification run does)",
    )
    group.addoption(
        "--certify-out",
        default=None,
        help="write what a certification run needs (tests, requirements, outcomes) as "
        "JSON lines to this file",
    )
    group.addoption(
        "--lab-run-id",
        default=None,
        help="publish this run's progress under this id in the farm's store (`lab run` "
        "names its runs; the dashboard shows them)",
    )
    group.addoption(
        "--lab-exclude",
        action="append",
        default=[],
        metavar="SCOPE",
        help="leave out the tests of SCOPE (a folder, a file or a test; `tos/...` for the "
        "kit's): a certification plan's exclusions",
    )
    group.addoption(
        "--update-goldens",
        action="store_true",
        help="record goldens instead of comparing; lists what changed for review",
    )


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
    if call.excinfo is None or report.when not in ("setup", "call"):
        return report
    session = item.config.stash.get(SESSION_KEY, None)
    error = call.excinfo.value
    spans = item.stash.get(SPANS, [])
    lost = report.when == "call" and note_if_lost(item, error, [s.dut for s in spans])
    if lost:  # the report says what happened to the device, whatever the error's class
        allure.dynamic.label(LABEL, Category.DEVICE_LOST.value)
    else:
        label_failure(call.excinfo)  # the report category, from the class of what was raised
    if session is None:
        return report  # no device test ran in this process
    if isinstance(error, DeviceUnavailable):
        Attach().text(f"{error.device_id} health check", error.report or error.message)
        return report
    if report.failed:
        for span in spans:
            span.attach_failure(lost=span.dut.id in session.lost)
    return report


_CONFIG: list[pytest.Config] = []  # this process's config, for report hooks


@pytest.fixture(scope="session")
def lab_inventory(pytestconfig: pytest.Config) -> Inventory:
    """The loaded inventory."""
    return lab_session(pytestconfig).inventory


@pytest.fixture(scope="session")
def lab_report_dir(pytestconfig: pytest.Config) -> Path:
    """Where this run's lab output goes (figures a suite writes for benches and docs)."""
    return lab_session(pytestconfig).report_dir


@pytest.fixture
def attach() -> Attach:
    """Attach images, text or files to this test's report (kept whether it passes or not)."""
    return Attach()


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


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """With --update-goldens: what was recorded, for review before committing."""
    if not config.getoption("--update-goldens") or SESSION_KEY not in config.stash:
        return
    log = config.stash[SESSION_KEY].report_dir / "golden-changes.jsonl"
    if not log.exists():
        return
    terminalreporter.section("goldens recorded (review, then commit)")
    for line in log.read_text().splitlines():
        entry = json.loads(line)
        terminalreporter.write_line(f"{entry['status']:>9}  {entry['golden']}  ({entry['device']})")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On the controller: environment.properties with every selected device's fingerprint."""
    config = session.config
    results = config.getoption("--alluredir", None)
    if not results or hasattr(config, "workerinput"):
        return
    try:
        lab = lab_session(config)
    except pytest.UsageError:
        return

    def fingerprint(device: Device) -> str:
        probe = Dut(device, lab.inventory.farm, lab.report_dir / "logs", timeout=5)
        try:
            return probe.getprop("ro.build.fingerprint") or "unknown"
        except LabError:
            return "unreachable"

    # in parallel: an unreachable device costs its 5 s timeout once, not once per device
    with ThreadPoolExecutor(max_workers=max(1, min(16, len(lab.devices)))) as pool:
        found = pool.map(fingerprint, lab.devices)
        fingerprints = {device.id: value for device, value in zip(lab.devices, found, strict=True)}
    write_environment(Path(results), lab.inventory.path, fingerprints)
