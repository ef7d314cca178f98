"""An argv walked one word at a time, for the commands whose options must read and fail as
Android's own do (argparse would word its errors, and order its checks, its own way)."""

from __future__ import annotations

from collections.abc import Iterator


class Words:
    def __init__(self, args: list[str], error: type[Exception], needs: str) -> None:
        """`error(needs.format(option))` when an option lacks its value."""
        self.args = args
        self.error = error
        self.needs = needs
        self.index = 0

    def __iter__(self) -> Iterator[str]:
        while self.index < len(self.args):
            yield self.args[self.index]
            self.index += 1

    def value(self) -> str:
        """The word after the current option (it is consumed)."""
        self.index += 1
        if self.index >= len(self.args):
            raise self.error(self.needs.format(self.args[self.index - 1]))
        return self.args[self.index]
