"""The lab's command-line options (pytest's `addoption`): which inventory and devices,
where the lab's output goes, how long to wait for a lease or a device, goldens, shards."""

from __future__ import annotations

import pytest

from lab.inventory import DEVICE_CLASSES


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
        choices=DEVICE_CLASSES,
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
        "--lab-record",
        default=None,
        help="write the run's record as JSON lines to this file: the tests collected, each "
        "phase's outcome with its device and failure category (`lab run` and `lab certify` "
        "read their outcome from it)",
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
