"""`lab certify run | retry | list | plans | keygen | verify | coverage`: TOS+ certification."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from lab.cli.output import stdout
from lab.tos import data

DEFAULT_KEY = Path("reports/certification/keys/lab-cert.key")
DEFINITION = data.DEFINITION
OUT = Path("reports/certification")
EXIT = {"PASS": 0, "FAIL": 1}


@click.group()
def certify() -> None:
    """Certify a device model: a plan, a verdict, retries, a signed result bundle."""


def _report(folder: Path, session: dict) -> None:
    verdict = session["verdict"]
    tests = session["tests"]
    counts = {o: sum(t["outcome"] == o for t in tests) for o in ("pass", "fail", "skip",
                                                                 "not_executed")}  # fmt: skip
    stdout.print(f"session {session['session']}: [bold]{verdict['verdict']}[/bold] "
                 f"({', '.join(f'{n} {o}' for o, n in counts.items())})")  # fmt: skip
    for reason in verdict["reasons"]:
        stdout.print(f"  - {reason}")
    for waived in verdict["waived"]:
        stdout.print(f"  waived: {waived}")
    stdout.print(f"bundle: {folder} (result.xml, result.json, summary.html, signed)")


@certify.command("run")
@click.option("--plan", "plan_name", required=True, metavar="PLAN",
              help="A plan file, or one of the kit's by name (`lab certify plans`).")  # fmt: skip
@click.option("--device", "devices", multiple=True, required=True, help="Repeat for more "
              "devices of the same model: the tests are shared out as they free up.")  # fmt: skip
@click.option("--inventory", default="device_inventory.yaml", show_default=True)
@click.option("--key", "key_path", default=DEFAULT_KEY, show_default=True, type=Path)
@click.option("--out", default=OUT, show_default=True, type=Path)
def run_(plan_name: str, devices: tuple[str, ...], inventory: str, key_path: Path, out: Path):
    """Run PLAN on the devices; exit 0 on PASS, 1 on FAIL."""
    from lab.certify.certification import run_session
    from lab.certify.plan import find_plan
    from lab.inventory import load_inventory

    plan_path = find_plan(plan_name)
    folder, session = run_session(load_inventory(inventory), plan_path, list(devices),
                                  key_path, out)  # fmt: skip
    _report(folder, session)
    sys.exit(EXIT[session["verdict"]["verdict"]])


@certify.command()
@click.option("--session", "session_id", required=True)
@click.option("--device", "devices", multiple=True, help="Default: the session's devices.")
@click.option("--inventory", default="device_inventory.yaml", show_default=True)
@click.option("--key", "key_path", default=DEFAULT_KEY, show_default=True, type=Path)
@click.option("--out", default=OUT, show_default=True, type=Path)
def retry(session_id: str, devices: tuple[str, ...], inventory: str, key_path: Path, out: Path):
    """Rerun only the failed and not-executed tests of a session, as a new session."""
    from lab.certify.certification import load_session, run_session
    from lab.certify.keys import load_private, public_pem
    from lab.errors import LabError
    from lab.inventory import load_inventory

    previous = load_session(out, session_id, public_pem(load_private(key_path)))
    again = [f"{t['path']}::{t['nodeid'].partition('::')[2]}" for t in previous["tests"]
             if t["outcome"] in ("fail", "not_executed")]  # fmt: skip
    if not again:
        raise LabError(f"session {session_id} has nothing to retry: every test ran and passed "
                       "or was skipped")  # fmt: skip
    stdout.print(f"retrying {len(again)} of {len(previous['tests'])} tests of {session_id}")
    folder, session = run_session(
        load_inventory(inventory), Path(previous["plan"]["path"]),
        list(devices) or previous["devices"], key_path, out, only=again, previous=previous,
    )  # fmt: skip
    _report(folder, session)
    sys.exit(EXIT[session["verdict"]["verdict"]])


@certify.command("list")
@click.option("--out", default=OUT, show_default=True, type=Path)
@click.option("--key", "trusted", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_KEY.with_suffix(".pub"), show_default=True,
              help="The public key each bundle is checked against.")  # fmt: skip
def list_(out: Path, trusted: Path) -> None:
    """Sessions and their verdicts, oldest first; `signed` says whether each bundle is as
    the key signed it (a verdict read from an edited result.json means nothing)."""
    from rich.table import Table

    from lab.certify.bundle import verify as check

    pem = trusted.read_bytes() if trusted.is_file() else None
    table = Table("session", "plan", "devices", "build", "verdict", "retry of", "signed")
    for path in sorted(out.glob("*/result.json")):
        s = json.loads(path.read_text())
        retry_of = s["history"][-1]["session"] if s.get("history") else ""
        signed = "no key" if pem is None else "ok" if not check(path.parent, pem)[0] else "EDITED"
        row = (s["session"], s["plan"]["name"], ",".join(s["devices"]),
               s["build"]["build_fingerprint"], s["verdict"]["verdict"], retry_of,
               signed)  # fmt: skip
        table.add_row(*row)
    stdout.print(table)


@certify.command()
def plans() -> None:
    """The kit's certification plans (give their name to --plan)."""
    for path in sorted(data.PLANS.glob("*.yaml")):
        stdout.print(f"{path.stem}  ({path})", markup=False)


@certify.command()
@click.option("--key", "key_path", default=DEFAULT_KEY, show_default=True, type=Path)
def keygen(key_path: Path) -> None:
    """Make an Ed25519 signing key (PEM, 0600) and its .pub beside it."""
    from lab.certify.keys import keygen as make

    public, key_id = make(key_path)
    stdout.print(f"{key_path} (private, 0600) and {public}: key id {key_id}")


@certify.command()
@click.argument("bundle", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--key", "trusted", multiple=True,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A signer's public key you trust (repeatable); default: the lab's own, "
              f"{DEFAULT_KEY.with_suffix('.pub')}, when it exists.")  # fmt: skip
def verify(bundle: Path, trusted: tuple[Path, ...]) -> None:
    """Check a result bundle offline: exit 0 only when every file is as signed AND the
    signer is a key you trust (a bundle carries its signer's key: anyone can re-sign an
    edited bundle with a key of their own)."""
    from lab.certify.bundle import signer_id
    from lab.certify.bundle import verify as check
    from lab.certify.keys import key_id, load_public

    keys = list(trusted) or [p for p in [DEFAULT_KEY.with_suffix(".pub")] if p.is_file()]
    if not keys:
        stdout.print(
            "[red]FAIL[/red] no key to trust: give --key PUB, the signer's public key as "
            "you had it from them (not the signer.pub inside the bundle)"
        )
        sys.exit(1)
    by_id = {key_id(load_public(p.read_bytes(), str(p))): p for p in keys}
    signer = signer_id(bundle)
    if signer not in by_id:
        known = ", ".join(f"{i} in {p}" for i, p in by_id.items())
        stdout.print(
            f"[red]FAIL[/red] {bundle} is signed by key {signer}, which is not a key you "
            f"trust ({known})"
        )
        sys.exit(1)
    problems, _ = check(bundle, by_id[signer].read_bytes())
    if problems:
        for problem in problems:
            stdout.print(f"[red]FAIL[/red] {problem}")
        sys.exit(1)
    stdout.print(f"OK: every file of {bundle} is as signed by key {signer} ({by_id[signer]})")


@certify.command()
@click.option("--definition", "definition_path", type=Path, default=DEFINITION,
              help="The compatibility definition (default: the kit's TOS+ CDD).")  # fmt: skip
@click.argument("paths", nargs=-1)
def coverage(definition_path: Path, paths: tuple[str, ...]) -> None:
    """Requirements no test names in PATHS (default: the kit's suites, `tos`); exit 1 when
    a MUST of a certified class has none."""
    from lab.certify.coverage import uncovered
    from lab.tos.paths import resolve

    missing = uncovered(definition_path, [resolve(p) for p in paths or ("tos",)])
    for requirement in missing:
        certified = "certified " if requirement.certified else ""
        stdout.print(f"{requirement.strength} {requirement.id} ({certified}"
                     f"{', '.join(requirement.classes)}): {requirement.text}")  # fmt: skip
    if not missing:
        stdout.print("every requirement is named by a test")
    sys.exit(1 if any(r.strength == "MUST" and r.certified for r in missing) else 0)
