"""labgrid's serial and shell drivers on a virtual device's console (a pty, as a
USB-serial adapter's tty): the console is the device's shell, with a prompt to match."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.client("labgrid")


@pytest.fixture(scope="module")
def shell(farm):
    from labgrid import Target
    from labgrid.driver import SerialDriver, ShellDriver
    from labgrid.resource import RawSerialPort

    target = Target("t-watch")
    RawSerialPort(target, name=None, port=farm.status()["t-watch"]["console"], speed=115200)
    SerialDriver(target, name=None)
    driver = ShellDriver(
        target,
        name=None,
        prompt=r"console:\S* \$ ",
        login_prompt=" login: ",
        username="root",
        login_timeout=20,
    )
    target.activate(driver)
    yield driver
    target.deactivate_all_drivers()


def test_run_returns_output_and_status(shell):
    assert shell.run("getprop ro.product.model") == (["TOS Watch W1"], [], 0)
    assert shell.run("ls /nowhere")[2] == 1


def test_run_check(shell):
    assert shell.run_check("echo $((6*7)); uname -s") == ["42", "Linux"]


def test_run_check_raises_on_failure(shell):
    from labgrid.driver.exception import ExecutionError

    with pytest.raises(ExecutionError):
        shell.run_check("false")


def test_an_unknown_command_then_the_next(shell):
    # labgrid runs each command under `sh -c`, so mksh names itself `sh`, as on a device
    assert shell.run("frobnicate") == (["sh: frobnicate: inaccessible or not found"], [], 127)
    assert shell.run("echo after") == (["after"], [], 0)


def test_an_unknown_command_typed_at_the_prompt(shell):
    # the console's shell is init's `/system/bin/sh`; the next prompt shows the status
    shell.console.sendline("frobnicate")
    shell.console.expect(
        r"/system/bin/sh: frobnicate: inaccessible or not found\r\n127\|console:/ \$ ",
        timeout=10,
    )
    assert shell.run("echo back") == (["back"], [], 0)


def test_files_through_the_shell(shell):
    shell.run_check("echo labgrid > /data/local/tmp/lg.txt")
    assert shell.run_check("cat /data/local/tmp/lg.txt") == ["labgrid"]


def test_a_long_command_line(shell):
    words = " ".join(f"w{i}" for i in range(60))
    assert shell.run_check(f"echo {words} | wc -w") == ["60"]


@pytest.mark.clear_failure
def test_put_bytes_needs_an_xmodem_receiver(shell):
    from labgrid.driver.exception import ExecutionError

    # Android ships no rz/rx: labgrid says so, as with a real device's console
    with pytest.raises(ExecutionError, match="XMODEM"):
        shell.put_bytes(b"data", "/data/local/tmp/x")
