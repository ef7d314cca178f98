"""Shell commands report real exit codes and keep stderr apart."""

from __future__ import annotations

import allure
import pytest

pytestmark = pytest.mark.requirement("3.3/C-0-1")


@allure.title("exit code of `{command}` is {code}")
@pytest.mark.parametrize(("command", "code"), [("true", 0), ("false", 1), ("exit 7", 7)])
def test_exit_codes(dut, command, code):
    assert dut.shell(command).exit_code == code


@allure.title("stdout and stderr are separate")
def test_stdout_and_stderr(dut):
    result = dut.shell("echo out; echo err >&2; ls /no/such/dir")
    assert result.stdout.strip() == "out"
    assert "err" in result.stderr and "No such file" in result.stderr
    assert result.exit_code != 0
