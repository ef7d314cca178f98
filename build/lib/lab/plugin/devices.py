"""The device fixtures: `dut` (one device; with --shard, or run again elsewhere, whichever
of a pool is free) and `duts` (several at once, by role). Each leases its device, checks
it (lab.plugin.readiness), fences every operation with the lease's token, lets the
watchdog look after a remote one, and closes and releases it after the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lab.device.dut import Dut
from lab.device.errors import DeviceUnavailable
from lab.device.factory import open_dut
from lab.farm.leases import Lease
from lab.inventory import Device
from lab.plugin.artifacts import Attach, Span
from lab.plugin.labels import label_test
from lab.plugin.readiness import ready, take_free, usable_of
from lab.plugin.retry import ELSEWHERE
from lab.plugin.session import LabSession, lab_session
from lab.tos import data

SPANS = pytest.StashKey[list[Span]]()
POOL = "pool:"  # a --shard test's parameter: the devices it may run on


def _open(
    session: LabSession,
    request: pytest.FixtureRequest,
    device: Device,
    lease: Lease | None = None,
) -> Iterator[Dut]:
    if lease is None:
        lease = session.leases.acquire(
            device.id, session.holder, session.lease_timeout, _test_id(request.node)
        )
    session.keeper.hold(lease)
    config = request.config
    given = config.getoption("--goldens")
    dut = open_dut(
        session.inventory,
        device.id,
        log_dir=session.report_dir / "logs",
        timeout=session.device_timeout,
        goldens=Path(given).resolve() if given else None,  # None: beside the inventory
        golden_fallbacks=(data.GOLDENS,),  # the TOS+ kit's suites' own
        update_goldens=config.getoption("--update-goldens"),
        changes_log=session.report_dir / "golden-changes.jsonl",
        attach=Attach().png,
    )
    dut.adb.before_operation = lambda operation: session.keeper.guard(lease, operation)
    span = Span(dut)
    try:
        ready(session, dut)
        session.watchdog.watch(dut)
        span.start()
        request.node.stash.setdefault(SPANS, []).append(span)
        yield dut
    finally:
        try:
            session.watchdog.unwatch(dut)
            span.stop()
        finally:
            dut.close()
            session.keeper.drop(lease)
            session.leases.release(lease)


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
    request.node.user_properties.append(("device", device.id))


@pytest.fixture
def duts(request: pytest.FixtureRequest) -> Iterator[dict[str, Dut]]:
    """Several devices at once, by role (`@pytest.mark.devices(pad="phone", screen="tv")`).
    Run again because one was lost, the first usable candidate takes that role; all are
    leased in id order, as always, so two runs wanting the same devices cannot deadlock."""
    session = lab_session(request.config)
    roles = {role: session.inventory.device(i) for role, i in request.param.items()}
    lost_role, candidates = request.node.stash.get(ELSEWHERE, (None, None))
    if lost_role in roles and candidates:  # run again: the lost device's role changes hands
        roles[lost_role] = session.inventory.device(usable_of(session, candidates)[0])
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
