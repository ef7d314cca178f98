"""A console interleaves the kernel's messages with a command's output, at a line's start
or in the middle of one; `run` answers with the command's output alone."""

from __future__ import annotations

import pytest

from lab.device.console import Console

_KERNEL = b"[   15.013035] healthd: battery l=87 v=4100 t=25.0 h=2 st=2\r\n"


def _console_answering(tmp_path, monkeypatch, answer: bytes) -> Console:
    """A console on pyserial's loop:// whose 'device' answers each command with `answer`
    (the echo and the output as the shell would print them) and the prompt."""
    console = Console("c-watch", "loop://", 115200, tmp_path / "console.log")
    monkeypatch.setattr(
        console, "send", lambda text, end="\r": console._port.write(answer + b"console:/ $ ")
    )
    return console


@pytest.mark.parametrize(
    "answer",
    [
        _KERNEL + b"getprop ro.product.model\r\nTOS Watch W1\r\n",  # before the echo
        b"getprop ro.product.model\r\n" + _KERNEL + b"TOS Watch W1\r\n",  # after it
        b"getprop ro.product.model\r\nTOS Wat" + _KERNEL + b"ch W1\r\n",  # inside a line
    ],
    ids=["before-echo", "after-echo", "mid-line"],
)
def test_kernel_messages_are_not_part_of_the_answer(tmp_path, monkeypatch, answer):
    console = _console_answering(tmp_path, monkeypatch, answer)
    try:
        assert console.run("getprop ro.product.model", timeout=5) == "TOS Watch W1"
    finally:
        console.close()
    assert b"healthd: battery" in console.log_path.read_bytes()  # the log keeps them


def test_kernel_messages_are_kept_when_asked_for(tmp_path, monkeypatch):
    console = _console_answering(tmp_path, monkeypatch, b"dmesg\r\n" + _KERNEL)
    try:
        assert console.run("dmesg", timeout=5, kernel_messages=True) == _KERNEL.decode().strip()
    finally:
        console.close()
