"""Device actions as report steps (labgrid's `@step`): `dut.shell`, the UI's taps and
keys, the console's commands each show in a test's report with their arguments and
duration, nested under the suite's own `allure.step`s, so a failed report reads as the
story of what the test did. Outside a test run allure.step records nothing.

Secrets in the arguments (a PIN typed, a card number) are redacted where the results are
written (lab.report.redacting_logger), as every other text of a report is."""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import allure

from lab.redaction import redact

_SHOWN = 80  # characters of one argument in a step's title
_inside = threading.local()  # the device parts this thread is in a step of

Method = TypeVar("Method", bound=Callable[..., Any])


def _short(value: Any) -> str:
    """An argument as a title shows it: redacted whole, before it is cut (a secret cut in
    two would no longer be known for one where the report is written)."""
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    if isinstance(value, dict):
        value = ", ".join(f"{k}={v!r}" for k, v in value.items())
    text = redact(value if isinstance(value, str) else repr(value))
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


@contextmanager
def hidden() -> Iterator[None]:
    """No device action of this thread is a step meanwhile: keys that spell a secret one
    at a time (a PIN keyed on a pad: one digit per step would be none of them a secret
    the report can redact). The caller's own step says what happened."""
    _inside.__dict__["hidden"] = _inside.__dict__.get("hidden", 0) + 1
    try:
        yield
    finally:
        _inside.__dict__["hidden"] -= 1


def step(title: str) -> Callable[[Method], Method]:
    """A method of a device part (it has `device_id` or `id`) as a step titled
    "<device>: <title>", the title formatted with the call's arguments by name. A step
    inside another of the same part (console.run sending and expecting) is not repeated."""

    def wrap(method: Method) -> Method:
        signature = inspect.signature(method)

        @functools.wraps(method)
        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            active: set[int] = _inside.__dict__.setdefault("parts", set())
            if id(self) in active or _inside.__dict__.get("hidden"):
                return method(self, *args, **kwargs)
            bound = signature.bind(self, *args, **kwargs)
            bound.apply_defaults()  # an empty **selector is there too
            shown = {name: _short(value) for name, value in bound.arguments.items()}
            device = getattr(self, "device_id", None) or getattr(self, "id", "?")
            active.add(id(self))
            try:
                with allure.step(f"{device}: {title.format(**shown)}"):
                    return method(self, *args, **kwargs)
            finally:
                active.discard(id(self))

        return run  # type: ignore[return-value]

    return wrap
