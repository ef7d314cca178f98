"""`lab init [DIR]`: a project of one's own, ready for `lab run`."""

from __future__ import annotations

from pathlib import Path

import click

from lab.cli.output import stdout


@click.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """Make a test project in FOLDER (default: here): an inventory of the embedded virtual
    farm, example suites per device class, a goldens folder, a README. Never overwrites."""
    from lab.project import make_project

    made = make_project(folder)
    stdout.print(f"made a TOS+ test project in {folder.resolve()}:", markup=False)
    for path in made:
        stdout.print(f"  {path}", markup=False)
    where = "" if folder.resolve() == Path.cwd() else f"cd {folder} && "
    stdout.print(f"next: {where}lab run -n 2   (README.md says more)", markup=False)
