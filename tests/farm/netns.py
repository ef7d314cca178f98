"""Farm hosts simulated on this machine: two network namespaces joined by a veth pair with
private addresses that exist only inside them (a controller at .1, a device host at .2),
each with its own runtime folder, so the controller reaches the host's devices only over
that link. Cutting the link is the host's network going away."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

from tests.virtual_farm import LAB, WORKER


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30, check=check)


class Hosts:
    def __init__(self, folder: Path) -> None:
        self.ctl, self.host = f"lab-ctl-gw{WORKER}", f"lab-host-gw{WORKER}"
        self.ctl_ip, self.host_ip = f"10.77.{WORKER}.1", f"10.77.{WORKER}.2"
        self.ctl_link, self.host_link = f"lc{WORKER}", f"lh{WORKER}"
        self.env = {
            self.ctl: {**os.environ, "LAB_RUNTIME_DIR": str(folder / "ctl-rt"), "COLUMNS": "200"},
            self.host: {**os.environ, "LAB_RUNTIME_DIR": str(folder / "host-rt")},
        }

    def create(self) -> None:
        self.destroy()  # what an interrupted earlier session may have left
        for ns in (self.ctl, self.host):
            _ip("netns", "add", ns)
            _ip("-n", ns, "link", "set", "lo", "up")
        _ip("link", "add", self.ctl_link, "netns", self.ctl, "type", "veth",
            "peer", "name", self.host_link, "netns", self.host)  # fmt: skip
        _ip("-n", self.ctl, "addr", "add", f"{self.ctl_ip}/24", "dev", self.ctl_link)
        _ip("-n", self.host, "addr", "add", f"{self.host_ip}/24", "dev", self.host_link)
        for ns, link in ((self.ctl, self.ctl_link), (self.host, self.host_link)):
            _ip("-n", ns, "link", "set", link, "up")

    def link(self, up: bool) -> None:
        """The host's network: up, or cut. A cut drops everything the host sends (a queue
        of length 0 on its end) while both ends keep carrier, addresses and routes: the
        controller's packets vanish unanswered, as behind a dead switch, and its
        connections hang rather than fail."""
        if up:
            _ip("netns", "exec", self.host, "tc", "qdisc", "del", "dev", self.host_link, "root",
                check=False)  # fmt: skip
        else:
            _ip("netns", "exec", self.host, "tc", "qdisc", "add", "dev", self.host_link, "root",
                "pfifo", "limit", "0")  # fmt: skip

    def lab(
        self, ns: str, *args: str, timeout: float = 300, **extra
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["ip", "netns", "exec", ns, LAB, *args], env={**self.env[ns], **extra},
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip

    def start(self, ns: str, *args: str, **extra: str) -> subprocess.Popen:
        return subprocess.Popen(
            ["ip", "netns", "exec", ns, LAB, *args], env={**self.env[ns], **extra},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip

    def destroy(self) -> None:
        """Every process left in the namespaces, then the namespaces (and the link)."""
        for ns in (self.ctl, self.host):
            pids = _ip("netns", "pids", ns, check=False).stdout.split()
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
            _ip("netns", "del", ns, check=False)
