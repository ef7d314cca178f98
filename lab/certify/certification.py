"""A certification session: the plan run on one or more devices of one model (the tests
shared out as devices free up), the build read before and after, the verdict, and the
signed bundle under reports/certification/<session>/. A retry reruns only what failed or
did not run, on a device of the same build fingerprint, as a new session with the run
history. What a retry carries over is only what the lab signed: the earlier bundle must
verify with the lab's key, the plan must be the one it ran, and whatever spoilt the
earlier session (its plan edited, a build changed mid-run) spoils the retry too."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from pathlib import Path

import lab
from lab.certify.bundle import sign, verify, write_results
from lab.certify.definition import load_definition
from lab.certify.keys import load_private
from lab.certify.plan import Plan, load_plan, owner, plan_digest
from lab.certify.results import CaseResult, apply_run, as_dicts, judge, read_collected
from lab.device.factory import open_dut
from lab.errors import LabError
from lab.inventory import Inventory
from lab.run.runner import RunPlan, run_pytest
from lab.tos.paths import resolve

PROPS = ("ro.build.fingerprint", "ro.product.brand", "ro.product.model", "ro.product.device",
         "ro.build.version.release", "ro.build.version.sdk", "ro.build.id")  # fmt: skip


def build_of(inventory: Inventory, device_id: str) -> dict[str, str]:
    """What the device says of its build (getprop), read over adb."""
    # read before the run leases it, unleased: reading properties acts on nothing
    dut = open_dut(inventory, device_id, log_dir=Path(tempfile.gettempdir()))
    try:
        return {name: dut.getprop(name) for name in PROPS}
    finally:
        dut.close()


def _builds(inventory: Inventory, ids: list[str]) -> dict[str, dict[str, str]]:
    """Every device's build, read at once."""
    with ThreadPoolExecutor(max_workers=len(ids)) as pool:
        return dict(zip(ids, pool.map(lambda i: build_of(inventory, i), ids), strict=True))


def check_devices(inventory: Inventory, plan: Plan, ids: list[str]) -> str:
    """The devices' class; refused unless they are of one model and a class of the plan."""
    if not ids:
        raise LabError("no device given", hint="--device ID (repeatable, one model)")
    devices = [inventory.device(i) for i in ids]
    models = {d.model for d in devices}
    if len(models) > 1:
        raise LabError(f"one session runs on one model; given {sorted(models)}",
                       hint="certify each model in its own session")  # fmt: skip
    device_class = devices[0].device_class
    if device_class not in plan.classes:
        raise LabError(f"plan {plan.name} is for {list(plan.classes)}, not a {device_class}")
    return device_class


def run_session(
    inventory: Inventory,
    plan_path: Path,
    device_ids: list[str],
    key_path: Path,
    out_root: Path,
    only: list[str] | None = None,
    previous: dict | None = None,
) -> tuple[Path, dict]:
    plan = load_plan(plan_path)
    definition = load_definition(plan.definition)
    device_class = check_devices(inventory, plan, device_ids)
    key = load_private(key_path)  # before anything runs: no unsigned result
    builds = _builds(inventory, device_ids)
    fingerprints = {b["ro.build.fingerprint"] for b in builds.values()}
    if len(fingerprints) > 1:
        raise LabError(f"the devices run different builds: {sorted(fingerprints)}")
    fingerprint = fingerprints.pop()
    carried = _carried(previous, plan_path) if previous else []
    if previous and previous["build"]["build_fingerprint"] != fingerprint:
        raise LabError(
            f"a retry runs on the build of session {previous['session']} "
            f"({previous['build']['build_fingerprint']}); these devices run {fingerprint}",
            hint="retry on a device of the same build fingerprint",
        )
    session_id = time.strftime("%Y.%m.%d_%H.%M.%S") + f"_{os.getpid() % 1000:03d}"
    folder = out_root / session_id
    (folder / "logs").mkdir(parents=True)
    start = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    base = _run_plan(inventory, plan, device_ids, folder, only)
    collect = folder / "logs" / "collect.jsonl"
    collected = run_pytest(_collect_only(base, collect), Path.cwd())
    if collected not in (0, 5) or not collect.exists():
        raise LabError(f"the plan's tests could not be collected (pytest exit {collected})")
    tests, ids = read_collected(collect)
    for test in tests.values():
        test.module = owner(plan.modules, test.path, test.nodeid)
    if previous and only is not None:
        kept = {t["nodeid"]: CaseResult(**t) for t in previous["tests"]}
        kept.update(tests)
        tests = kept
    record = folder / "logs" / "run.jsonl"
    run_pytest(replace(base, record_path=record), Path.cwd())
    if record.exists():
        apply_run(tests, ids, record)
    end = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    changed = list(carried)
    if plan_digest(plan_path) != plan.digest:
        changed.append(f"the plan {plan_path} was edited during the run")
    ends = _builds(inventory, device_ids)
    for device_id in device_ids:
        after = ends[device_id]["ro.build.fingerprint"]
        if after != fingerprint:
            changed.append(f"{device_id} changed build mid-run: {fingerprint} -> {after}")
    ordered = sorted(tests.values(), key=lambda t: t.nodeid)
    verdict = judge(ordered, plan, definition, device_class, dt.date.today(), changed)
    history = list(previous.get("history", [])) if previous else []
    if previous:
        history.append(
            {"session": previous["session"], "start": previous["start"],
             "end": previous["end"], "verdict": previous["verdict"]["verdict"]}
        )  # fmt: skip
    first = builds[device_ids[0]]
    session = {
        "session": session_id, "start": start, "end": end, "host": socket.gethostname(),
        "lab_version": lab.__version__, "command": " ".join(sys.argv),
        "plan": {"name": plan.name, "path": str(plan_path), "sha256": plan.digest},
        "definition": {"name": definition.name, "version": definition.version},
        "devices": device_ids, "device_class": device_class,
        "build": {"build_fingerprint": fingerprint, **{k.replace(".", "_"): v
                                                       for k, v in first.items()}},
        "tests": as_dicts(ordered), "verdict": asdict(verdict), "history": history,
        "changed": changed,
    }  # fmt: skip
    if base.junit.exists():
        shutil.copy(base.junit, folder / "logs" / "junit.xml")
    write_results(folder, session)
    sign(folder, key, session)
    return folder, session


def _run_plan(
    inventory: Inventory, plan: Plan, ids: list[str], folder: Path, only: list[str] | None
) -> RunPlan:
    # by scope, as plans name tests (`tos/...` or a path): pytest's --deselect would need
    # node ids relative to a rootdir that follows the paths given
    deselect = [a for e in plan.exclude for a in ("--lab-exclude", e.scope)]
    # the tests' lengths differ (voice turns run in real time): idle workers take work
    # from busy ones rather than wait on their first batch
    steal = ("--dist", "worksteal") if len(ids) > 1 else ()
    return RunPlan(
        paths=tuple(resolve(p) for p in (only if only is not None else plan.modules)),
        inventory=str(inventory.path),
        report_dir=folder / "run",
        workers=len(ids),
        devices=tuple(ids),
        extra=("--shard", *steal, *deselect),
    )


def _collect_only(plan: RunPlan, out: Path) -> RunPlan:
    extra = (*plan.extra, "--collect-only", "-q")
    return replace(plan, workers=1, extra=extra, record_path=out)


def _carried(previous: dict, plan_path: Path) -> list[str]:
    """What spoilt the earlier session, for the retry's verdict; refused when the plan is
    no longer the one the earlier session ran (a retry would mix two plans' results)."""
    now = plan_digest(plan_path)
    if now != previous["plan"]["sha256"]:
        raise LabError(
            f"the plan {plan_path} changed since session {previous['session']} "
            f"(sha256 {previous['plan']['sha256'][:12]}... then, {now[:12]}... now)",
            hint="run the plan again in full: `lab certify run`",
        )
    if "changed" in previous:
        spoilt = previous["changed"]
    else:  # a bundle of an earlier lab: the same reasons, among the verdict's
        marks = ("was edited during the run", "changed build mid-run")
        spoilt = [r for r in previous["verdict"]["reasons"] if r.endswith(marks) or marks[1] in r]
    return [f"session {previous['session']}: {reason}" for reason in spoilt]


def load_session(out_root: Path, session_id: str, public_pem: bytes) -> dict:
    """A session's results, once its bundle verifies with `public_pem` (the lab's key):
    a result.json edited after signing is never carried into a retry."""
    folder = out_root / session_id
    if not (folder / "result.json").is_file():
        known = (
            sorted(p.name for p in out_root.iterdir() if p.is_dir()) if out_root.is_dir() else []
        )
        raise LabError(f"no session {session_id} under {out_root}",
                       hint=f"sessions: {', '.join(known[-5:]) or 'none yet'}")  # fmt: skip
    problems, key = verify(folder, public_pem)
    if problems:
        raise LabError(
            f"session {session_id}'s bundle does not verify with the lab's key "
            f"({key}): {'; '.join(problems)}",
            hint="a retry builds only on what the lab signed: run the plan again in full",
        )
    return json.loads((folder / "result.json").read_text())
