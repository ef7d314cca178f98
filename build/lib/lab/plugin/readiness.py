"""Whether a device may take a test: its health in the farm's store (a person's
maintenance or retirement, a bad device waiting for a passing check), and a health check
before its first test in this process and again at an interval."""

from __future__ import annotations

import time

from lab.device.dut import Dut
from lab.device.errors import DeviceUnavailable
from lab.device.health import check_health
from lab.farm.health import Health
from lab.farm.leases import Lease, LeaseTimeout
from lab.inventory import Device
from lab.plugin.session import LabSession

RECHECK_AFTER = 10.0  # seconds before a device that failed its check is checked again
CHECK_INTERVAL = 600.0  # seconds a passed check holds before the device is checked again


def held_out(session: LabSession, device_id: str) -> str | None:
    """Why a person has taken the device out of the farm, or None."""
    record = session.leases.health(device_id)
    if record.state.held_by_a_person:
        return f"in {record.state.value} since {time.ctime(record.at)}: {record.why or '-'}"
    return None


def ready(session: LabSession, dut: Dut) -> None:
    """The device passed a health check; else DeviceUnavailable with the check's output.
    A device lost mid-run, or found booting, is waited for (within
    session.recovery_timeout: one that rebooted runs its remaining tests); one that failed
    is checked again before a later test, at most every RECHECK_AFTER seconds. Each check
    is written to the store: a failed one makes the device bad, a passed one good."""
    why = held_out(session, dut.id)
    if why:
        raise DeviceUnavailable(dut.id, why, f"{dut.id} is {why}\n(`lab farm release {dut.id}`)")
    checked = session.health.get(dut.id)
    if checked is not None and dut.id not in session.lost:
        age = time.monotonic() - checked.at
        if checked.ok and age < CHECK_INTERVAL:
            return
        if not checked.ok and age < RECHECK_AFTER:
            raise DeviceUnavailable(dut.id, checked.reason, checked.text())
    patient = dut.id in session.lost
    deadline = time.monotonic() + session.recovery_timeout
    while True:
        report = check_health(dut, timeout=min(5.0, session.device_timeout))
        waiting = patient or report.booting
        if report.ok or not waiting or time.monotonic() >= deadline:
            break
        time.sleep(1.0)
    session.health[dut.id] = report
    session.lost.pop(dut.id, None)
    state = Health.GOOD if report.ok else Health.BAD
    session.leases.mark(dut.id, state, f"health check: {report.reason}", session.holder, True)
    if not report.ok:
        raise DeviceUnavailable(dut.id, report.reason, report.text())


def usable(session: LabSession, device_id: str) -> bool:
    """Worth offering a test: not held out by a person, and not bad unless its last
    failure is old enough to check again."""
    record = session.leases.health(device_id)
    if record.state.held_by_a_person:
        return False
    last = max(record.at, record.checked_at)  # spaced like a device's own rechecks
    return record.state is not Health.BAD or time.time() - last >= RECHECK_AFTER


def usable_of(session: LabSession, ids: list[str], refused: set[str] = frozenset()) -> list[str]:
    """The usable devices of `ids` (in order) that are not in `refused`; DeviceUnavailable
    saying each one's health when there is none."""
    found = [i for i in ids if i not in refused and usable(session, i)]
    if not found:
        raise DeviceUnavailable(
            ids[0] if len(ids) == 1 else "pool",
            f"none of {', '.join(ids)} is usable (bad, in maintenance or retired)",
            "\n".join(f"{i}: {session.leases.health(i).state.value}" for i in ids),
        )
    return found


def take_free(
    session: LabSession, ids: list[str], purpose: str, refused: set[str] = frozenset()
) -> tuple[Device, Lease]:
    """The first usable device of `ids` whose lease is free, leased: a pool of devices of
    one model (--shard), or the candidates to run a test again elsewhere, share the tests
    as each becomes free. Devices in `refused` (failed their check for this test) and
    unusable ones are passed over."""
    deadline = time.monotonic() + session.lease_timeout
    # the device this process used last comes first: it is checked and warm already (each
    # device a process takes costs a health check; a pool run keeps that to one each)
    ids = sorted(ids, key=lambda i: i != session.last_device)
    while True:
        candidates = usable_of(session, ids, refused)
        for device_id in candidates:
            try:
                lease = session.leases.acquire(device_id, session.holder, 0.05, purpose)
            except LeaseTimeout:
                continue
            session.last_device = device_id
            return session.inventory.device(device_id), lease
        if time.monotonic() >= deadline:
            raise LeaseTimeout(f"none of {', '.join(candidates)} was free within "
                               f"{session.lease_timeout:g} s")  # fmt: skip
        time.sleep(0.2)
