"""Device actions as report steps: titled with the device and the arguments (redacted
before they are cut, so no part of a secret shows), not repeated inside a step of the
same part, and not taken at all where keys spell a secret one at a time."""

from __future__ import annotations

from typing import Any

import allure_commons
import pytest

from lab.device.steps import hidden, step
from lab.redaction import register


class _Titles:
    def __init__(self) -> None:
        self.seen: list[str] = []

    @allure_commons.hookimpl
    def start_step(self, uuid: str, title: str, params: Any) -> None:
        self.seen.append(title)


@pytest.fixture
def titles():
    listener = _Titles()
    allure_commons.plugin_manager.register(listener)
    yield listener.seen
    allure_commons.plugin_manager.unregister(listener)


class _Pad:
    device_id = "w-1"

    @step("tap {selector}")
    def tap(self, timeout: float = 1.0, **selector: Any) -> str:
        return "tapped"

    @step("type {text!r}")
    def type(self, text: str) -> None:
        self.tap(resourceId="ok")  # inside a step of the same part: not a step again

    @step("run {command}")
    def run(self, command: list[str]) -> None:
        pass


def test_a_step_per_action_with_its_arguments(titles):
    pad = _Pad()
    assert pad.tap(resourceId="com.tos:id/key_1") == "tapped"  # the value passes through
    pad.tap()  # no selector at all is a title too, not a KeyError
    pad.type("hello")
    assert titles == [
        "w-1: tap resourceId='com.tos:id/key_1'",
        "w-1: tap ",
        "w-1: type 'hello'",
    ]


def test_keys_that_spell_a_secret_are_no_steps(titles):
    pad = _Pad()
    with hidden():
        for digit in "482915":
            pad.tap(resourceId=f"key_{digit}")
    pad.tap(resourceId="after")
    assert titles == ["w-1: tap resourceId='after'"]


def test_a_secret_is_redacted_before_a_long_argument_is_cut(titles):
    card = "6217000010077777893"
    register(card, "card")
    _Pad().run(["am", "broadcast", "-n", "com.tos.wallet/.config.ConfigReceiver", "--es",
                "extra", "x" * 30, "--es", "card", card])  # fmt: skip
    (title,) = titles
    assert "62170000" not in title and "7893" not in title, title
