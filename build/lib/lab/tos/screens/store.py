"""The TOS+ Store app's screens as a test drives them (a page object): search, an app's
details, install / buy / update / uninstall / refund and the progress line. Only the
harness API: the same calls drive a real device."""

from __future__ import annotations

import re
import time

import allure

from lab.device.dut import Dut
from lab.device.errors import DeviceError

STORE = "com.tos.store"


def rid(name: str) -> str:
    return f"{STORE}:id/{name}"


def snap(dut: Dut, attach, name: str) -> None:
    attach.png(f"{dut.id}: {name}", dut.screenshot_png())


def search(dut: Dut, text: str) -> None:
    with allure.step(f"search the store for {text!r}"):
        dut.shell(["am", "start", "-n", f"{STORE}/.Store"], check=True)
        dut.ui.set_text(text, resourceId=rid("search"))


def listed(dut: Dut, title: str, timeout: float = 10.0) -> bool:
    return dut.ui.exists(timeout=timeout, text=title)


def details(dut: Dut, package: str) -> None:
    """An app's page, by the store's deep link (as a link on a web page opens it)."""
    with allure.step(f"open {package} in the store"):
        dut.shell(
            ["am", "start", "-n", f"{STORE}/.Details", "--es", "package", package], check=True
        )
        assert dut.ui.exists(timeout=10, resourceId=rid("developer_value")) or dut.ui.exists(
            timeout=1, resourceId=rid("compatibility_value")
        ), "the details page did not load"


def press(dut: Dut, button: str, timeout: float = 15.0) -> None:
    with allure.step(f"tap {button}"):
        assert dut.ui.exists(timeout=timeout, resourceId=rid(button)), f"no {button} button"
        dut.ui.tap(resourceId=rid(button))


def status(dut: Dut) -> str:
    """The page's progress line, or "" when it shows none (it goes when a job ends, so it
    may vanish between looking and reading: read once, with a short wait)."""
    try:
        return dut.ui.text(timeout=0.3, resourceId=rid("progress_value"))
    except DeviceError as exc:
        if "no such element" in str(exc):
            return ""
        raise


def wait_installed(dut: Dut, package: str, timeout: float = 60.0) -> None:
    """Until the page offers Open (installed); a failure shown on the page fails at once."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if dut.ui.exists(timeout=1, resourceId=rid("open")):
            assert package in dut.adb.packages()
            return
        said = status(dut)
        assert not said.startswith("Failed"), f"the store said: {said}"
    raise AssertionError(f"{package} was not installed in {timeout:g} s (status: {status(dut)!r})")


def percent(dut: Dut) -> int | None:
    found = re.search(r"(\d+)%", status(dut))
    return int(found.group(1)) if found else None


def wait_version(dut: Dut, package: str, version_code: int, timeout: float = 60.0) -> str:
    """Until the device has `version_code` of `package` installed; its dumpsys."""
    deadline = time.monotonic() + timeout
    while True:
        dump = dut.shell(["dumpsys", "package", package], check=True).stdout
        if f"versionCode={version_code} " in dump:
            return dump
        said = status(dut)
        assert not said.startswith("Failed"), f"the store said: {said}"
        assert time.monotonic() < deadline, f"{package} {version_code} not installed ({said!r})"
        time.sleep(0.3)
