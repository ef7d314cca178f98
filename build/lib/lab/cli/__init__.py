"""`lab`: the command line of the TOS+ Device Lab."""

from __future__ import annotations

import sys

import click

from lab import __version__
from lab.cli.apk import apk
from lab.cli.certify import certify
from lab.cli.device import device
from lab.cli.devices import devices
from lab.cli.doctor import doctor
from lab.cli.farm import farm
from lab.cli.init import init
from lab.cli.output import fail
from lab.cli.run import report, run
from lab.cli.services import services
from lab.cli.sim import sim
from lab.errors import LabError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lab")
def cli() -> None:
    """TOS+ Device Lab: drive watches, TVs, headsets and phones, real or virtual."""


cli.add_command(devices)
cli.add_command(device)
cli.add_command(sim)
cli.add_command(run)
cli.add_command(report)
cli.add_command(services)
cli.add_command(apk)
cli.add_command(certify)
cli.add_command(farm)
cli.add_command(init)
cli.add_command(doctor)


def main() -> None:
    """Console-script entry: user mistakes become one clear message and exit code 2."""
    try:
        cli.main(standalone_mode=False)
    except LabError as exc:
        fail(str(exc), exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        # no traceback: what was started stays as `lab sim status` / `lab services status` show
        fail("interrupted (Ctrl-C)", 130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
