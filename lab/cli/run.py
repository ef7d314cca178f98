"""`lab run` (suites on the farm, then the report) and `lab report` (HTML again)."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import click
from rich.table import Table

from lab.cli.devices import inventory_option
from lab.cli.output import stderr, stdout, warn
from lab.errors import LabError
from lab.farm import redis_server
from lab.farm.books import open_books
from lab.farm.redis_target import redis_target
from lab.farm.remote import with_exported
from lab.inventory import DEVICE_CLASSES, Inventory, is_loopback, load_inventory
from lab.inventory.suggest import did_you_mean
from lab.report.html import generate
from lab.run.outcome import (
    INTERRUPTED,
    RECORD,
    STATUSES,
    TestOutcome,
    exit_code,
    read_outcomes,
    summarize,
)
from lab.run.runner import Interrupted, RunPlan, run_pytest
from lab.tos.paths import PREFIX, resolve

_STYLE = {"passed": "green", "failed": "red", "broken": "yellow", "skipped": "dim"}


def _report_dir(inventory: Inventory, given: str | None) -> Path:
    return Path(given).resolve() if given else inventory.resolve(inventory.farm.report_dir)


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("paths", nargs=-1, type=click.Path())
@inventory_option
@click.option(
    "-n",
    "workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Devices to test at once (pytest-xdist workers).",
)
@click.option("--device-class", type=click.Choice(DEVICE_CLASSES), help="Only this class.")
@click.option("--device", "devices", multiple=True, metavar="ID", help="Only this device.")
@click.option("-k", "keyword", help="Only tests matching this pytest -k expression.")
@click.option("--report-dir", help="Output folder (default: the inventory's farm.report_dir).")
@click.option(
    "--test-timeout",
    type=click.FloatRange(1, 86400),
    default=300,
    show_default=True,
    help="Seconds one test may take before it is failed.",
)
@click.option("--single-file", is_flag=True, help="One self-contained HTML file (CI artifacts).")
@click.option("--no-sim", is_flag=True, help="Do not start virtual devices that are down.")
@click.option("--pytest-arg", "extra", multiple=True, help="Passed to pytest as is (repeatable).")
def run(
    paths: tuple[str, ...],
    inventory_path: str,
    workers: int,
    device_class: str | None,
    devices: tuple[str, ...],
    keyword: str | None,
    report_dir: str | None,
    test_timeout: float,
    single_file: bool,
    no_sim: bool,
    extra: tuple[str, ...],
) -> None:
    """Run suites on the farm, then write the Allure report and JUnit XML (exit 1 if a test
    failed: CI can gate on it). PATHS default to suites/ when the folder has one, else the
    TOS+ kit's suites; `tos` and `tos/smoke` name the kit's wherever the lab is installed."""
    inventory = load_inventory(inventory_path)
    paths = tuple(resolve(p) for p in paths or _default_paths())
    for path in paths:
        if not Path(path.partition("::")[0]).exists():
            raise LabError(
                f"no such test path: {path}", hint="the kit's suites: `tos`, `tos/smoke`, ..."
            )
    _start_store(inventory)
    own = {d.id for d in inventory.devices}  # exported ones run on their own hosts
    store = open_books(inventory.farm.lease_store, inventory.base_dir)
    farm = with_exported(inventory, store, said=warn)
    _known_ids(farm, devices)  # before anything starts: a typo costs no farm start-up
    chosen = farm.select(device_class=device_class, ids=list(devices) or None)
    if not chosen:
        raise LabError("no device matches --device/--device-class in " + str(inventory.path))
    virtual = [d.id for d in chosen if d.virtual and d.id in own]
    if virtual and not no_sim:
        from lab.sim import supervisor  # rule 1: only the CLI starts virtual devices

        with stdout.status(f"bringing up virtual devices: {', '.join(virtual)}"):
            rows = supervisor.up(inventory, virtual, strict=False)
        for row in rows:  # the run goes on: a sick device fails its health check, visibly
            if row.problem:
                stderr.print(f"[yellow]warning:[/] {row.problem}")
    _start_services(inventory)
    plan = RunPlan(
        paths=paths,
        inventory=inventory_path,
        report_dir=_report_dir(inventory, report_dir),
        workers=workers,
        device_class=device_class,
        devices=devices,
        keyword=keyword,
        test_timeout=test_timeout,
        extra=extra,
        run_id=f"{socket.gethostname()}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}",
    )
    try:
        code = exit_code(run_pytest(plan, Path.cwd()), read_outcomes(plan.record))
        partial = False
    except Interrupted:
        code, partial = INTERRUPTED, True
        stderr.print("[yellow]interrupted:[/] the report shows the tests that ended before")
    _summary(read_outcomes(plan.record))
    if plan.junit.exists():
        stdout.print(f"JUnit XML: {plan.junit}")
    if any(plan.results.glob("*-result.json")):
        name = "TOS+ Device Lab (PARTIAL: interrupted)" if partial else "TOS+ Device Lab"
        with stdout.status("generating the Allure report..."):
            index = generate(
                plan.results, plan.report_dir / "allure-report", name=name, single_file=single_file
            )
        stdout.print(f"[bold]Allure report{' (partial)' if partial else ''}:[/] {index}")
    raise SystemExit(code)


def _default_paths() -> tuple[str, ...]:
    """A project's own suites/ when it has one; else the kit's."""
    return ("suites",) if Path("suites").is_dir() else (PREFIX,)


def _known_ids(farm: Inventory, devices: tuple[str, ...]) -> None:
    known = [d.id for d in farm.devices]
    unknown = [d for d in devices if d not in known]
    if unknown:
        first = unknown[0]
        raise LabError(
            f"--device {', '.join(unknown)}: not in {farm.path}{did_you_mean(first, known)}",
            hint=f"its devices: {', '.join(known)}",
        )


def _start_store(inventory: Inventory) -> None:
    """A Redis lease store on this host, started when down (as `lab farm up` would); one
    on another host is that host's to run."""
    target = redis_target(inventory)
    if target is None or not is_loopback(target.host):
        return
    password_made = target.password_file is None or target.password_file.exists()
    if password_made and redis_server.running(target):
        return
    stdout.print(redis_server.up(target))  # makes a missing password file, as farm up does


def _start_services(inventory: Inventory) -> None:
    """The services the inventory declares (farm.services), started when down: suites
    reach them over HTTP."""
    from lab.services import supervisor  # only the CLI starts the services (an island)

    if not supervisor.declared(inventory):
        return
    with stdout.status("bringing up services..."):
        supervisor.up(inventory)


@click.command()
@inventory_option
@click.option("--report-dir", help="Output folder (default: the inventory's farm.report_dir).")
@click.option("--single-file", is_flag=True, help="One self-contained HTML file.")
def report(inventory_path: str, report_dir: str | None, single_file: bool) -> None:
    """Generate the HTML report again from the last run's results."""
    folder = _report_dir(load_inventory(inventory_path), report_dir)
    index = generate(folder / "allure-results", folder / "allure-report", single_file=single_file)
    _summary(read_outcomes(folder / RECORD))
    stdout.print(f"[bold]Allure report:[/] {index}")


def _summary(outcomes: list[TestOutcome]) -> None:
    rows = summarize(outcomes)
    if not rows:
        stderr.print("no test results were written")
        return
    table = Table(title="results per device", title_justify="left")
    table.add_column("device")
    for status in STATUSES:
        table.add_column(status, justify="right")
    table.add_column("time", justify="right")
    for row in rows:
        cells = [f"[{_STYLE[s]}]{row.counts[s]}[/]" if row.counts[s] else "0" for s in STATUSES]
        table.add_row(row.device, *cells, f"{row.seconds:.1f} s")
    stdout.print(table)
