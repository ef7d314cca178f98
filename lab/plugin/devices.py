"""The device fixtures: `dut` (one device; with --shard, or run again elsewhere, whichever
of a pool is free) and `duts` (several at once, by role). Each takes its device with
lab.farm.checkout (lease, fence, health check, capture services) under the process's
keeper and readiness, marks the test's span of its logs and lets the watchdog look after
a remote one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lab.device.dut import Dut
from lab.device.errors import DeviceUnavailable
from lab.device.screen import Goldens
from lab.farm.checkout import checkout
from lab.farm.leases import Lease
from lab.inventory import Device
from lab.plugin.artifacts import Attach, Span
from lab.plugin.labels import label_test
from lab.plugin.readiness import take_free
from lab.plugin.retry import ELSEWHERE
from lab.plugin.session import LabSession, lab_session
from lab.tos import data
from lab.vision.goldens import GoldenStore

SPANS = pytest.StashKey[list[Span]]()
POOL = "pool:"  # a --shard test's parameter: the devices it may run on


def _open(
    session: LabSession,
    request: pytest.FixtureRequest,
    device: Device,
    lease: Lease | None = None,
) -> Iterator[Dut]:
    config = request.config
    given = config.getoption("--goldens")
    goldens = Goldens(
        # recorded into --goldens, else goldens/ beside the inventory; read there first,
        # then from the TOS+ kit's suites' own
        GoldenStore(
            Path(given).resolve() if given else session.inventory.base_dir / "goldens",
            (data.GOLDENS,),
        ),
        update=config.getoption("--update-goldens"),
        changes_log=session.report_dir / "golden-changes.jsonl",
        attach=Attach().png,
    )
    with checkout(
        session.inventory,
        device.id,
        purpose=_test_id(request.node),
        books=session.leases,
        keeper=session.keeper,
        readiness=session.readiness,
        lease=lease,
        lease_timeout=session.lease_timeout,
        timeout=session.device_timeout,
        log_dir=session.report_dir / "logs",
        goldens=goldens,
    ) as dut:
        span = Span(dut)
        session.watchdog.watch(dut)
        try:
            span.start()
            request.node.stash.setdefault(SPANS, []).append(span)
            yield dut
        finally:
            session.watchdog.unwatch(dut)


@pytest.fixture
def dut(request: pytest.FixtureRequest) -> Iterator[Dut]:
    """The device under test: one test instance per matching device (its id in the test
    id), or with --shard one instance run on whichever device of the pool is free. A test
    run again because its device was lost takes one of the candidates retry() chose."""
    session = lab_session(request.config)
    role, candidates = request.node.stash.get(ELSEWHERE, (None, None))
    if role is not None:
        candidates = None  # a `duts` role's replacement, not this fixture's
    if candidates is None and request.param.startswith(POOL):
        candidates = request.param.removeprefix(POOL).split(",")
    if candidates is None:
        device = session.inventory.device(request.param)
        _label(request, device)
        yield from _open(session, request, device)
        return
    refused: set[str] = set()
    while True:  # a pool device that fails its check is passed over, not the test
        device, lease = take_free(session, candidates, _test_id(request.node), refused)
        opening = _open(session, request, device, lease)
        try:
            opened = next(opening)
        except DeviceUnavailable as exc:
            refused.add(device.id)
            Attach().text(f"{device.id} health check (passed over)", exc.report or exc.message)
            continue
        _label(request, device)
        try:
            yield opened
        finally:
            opening.close()
        return


def _test_id(item: pytest.Item) -> str:
    """The test's id as the user wrote it (xdist's loadgroup appends `@group`)."""
    group = item.get_closest_marker("xdist_group")
    suffix = f"@{group.args[0]}" if group and group.args else ""
    return item.nodeid.removesuffix(suffix) if suffix else item.nodeid


def _label(request: pytest.FixtureRequest, device: Device) -> None:
    label_test(request.node, [device])


@pytest.fixture
def duts(request: pytest.FixtureRequest) -> Iterator[dict[str, Dut]]:
    """Several devices at once, by role (`@pytest.mark.devices(pad="phone", screen="tv")`).
    Run again because one was lost, the first usable candidate takes that role; all are
    leased in id order, as always, so two runs wanting the same devices cannot deadlock."""
    session = lab_session(request.config)
    roles = {role: session.inventory.device(i) for role, i in request.param.items()}
    lost_role, candidates = request.node.stash.get(ELSEWHERE, (None, None))
    if lost_role in roles and candidates:  # run again: the lost device's role changes hands
        roles[lost_role] = session.inventory.device(session.readiness.usable_of(candidates)[0])
    label_test(request.node, list(roles.values()))
    opened: dict[str, Dut] = {}
    generators = []
    try:
        # leases in id order, so two runs wanting the same pair cannot deadlock
        for role, device in sorted(roles.items(), key=lambda rd: rd[1].id):
            generator = _open(session, request, device)
            opened[role] = next(generator)
            generators.append(generator)
        yield opened
    finally:
        for generator in reversed(generators):
            generator.close()
