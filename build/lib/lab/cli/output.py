"""Terminal output shared by the CLI commands: results on stdout, errors on stderr."""

from __future__ import annotations

import sys
from typing import NoReturn

from rich.console import Console

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)


def warn(message: str) -> None:
    """A problem the command works around (a registration skipped, say), on stderr."""
    stderr.print(f"[yellow]warning:[/] {message}", markup=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    stderr.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
    sys.exit(code)
