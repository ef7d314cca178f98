"""A device host in a network namespace exports its devices (`lab farm export`: its adb
server on its address, consoles and the NFC reader beside its watch through ser2net as
RFC 2217, registered in the farm's Redis); a controller in another namespace runs the smoke
suite on them and drives the reader, reaching them only over the link. When the link is
cut mid-test, the loss is noticed within 10 s and the test runs again on a device of the
controller's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from lab.report.categories import result_category
from tests.farm.netns import Hosts
from tests.farm.pool import watch
from tests.run.runs import labels, results, write_suite

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="network namespaces need root")

CAPABILITIES = "touch, round_display, battery, console"
PHONE = """  - id: r-phone
    class: phone
    model: TOS Phone P10
    platform: TOS+ 1.2
    virtual: true
    adb: {serial: "127.0.0.1:6526"}
    console: {url: pty}
    display: {width: 1080, height: 2340, density: 440}
    capabilities: [touch, battery, console]
"""
READER = (
    "peripherals:\n  - {id: r-nfc, kind: nfc_reader, virtual: true, port: pty, faces: r-watch}\n"
)
READER_BESIDE = """
import pytest

from lab import rig
from lab.rig.nfc import NoCard

@pytest.mark.device_class("watch")
def test_the_reader_beside_the_watch(dut, lab_inventory):
    part = lab_inventory.peripheral("nfc_reader", dut.id)
    assert part is not None and part.id == "r-nfc" and part.port.startswith("rfc2217://")
    with rig.open(dut, "nfc_reader") as reader:  # the PN532 answered its setup
        assert "PN532" in str(reader.clf.device)
        with pytest.raises(NoCard):  # the wallet is not in pay mode: the field stays empty
            reader.wait_card(timeout=1.0)
"""
CUT_MID_TEST = """
import os, time
from pathlib import Path

import pytest

@pytest.mark.device_class("watch")
def test_keeps_talking_to_its_device(dut):
    if dut.id == "r-watch":
        Path(os.environ["CUT_MARK"]).write_text(str(time.time()))  # the link is cut now
    for _ in range(24):
        assert dut.shell("echo tick").stdout.strip() == "tick"
        time.sleep(0.5)
"""


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hosts")
    hosts = Hosts(folder)
    # off loopback the farm's Redis wants a password (both namespaces read this file)
    store = f"redis://{hosts.ctl_ip}:6390/0?ttl=4&password_file={folder / 'redis.pass'}"
    (folder / "host.yaml").write_text(
        f"farm:\n  lease_store: {store!r}\ndevices:\n"
        + watch("r-watch", 6520, f"{CAPABILITIES}, nfc")
        + PHONE
        + READER
    )
    (folder / "ctl.yaml").write_text(
        f"farm:\n  lease_store: {store!r}\ndevices:\n" + watch("c-watch", 6530, CAPABILITIES)
    )
    hosts.inventory = folder / "ctl.yaml"
    hosts.create()
    exporter = None
    try:
        up = hosts.lab(hosts.ctl, "farm", "up", "--inventory", str(folder / "ctl.yaml"))
        assert up.returncode == 0, up.stderr
        exporter = hosts.start(hosts.host, "farm", "export", "--inventory",
                               str(folder / "host.yaml"), "--advertise", hosts.host_ip,
                               "--name", "host-a", "--sim")  # fmt: skip
        local = hosts.lab(hosts.ctl, "sim", "up", "--inventory", str(hosts.inventory),
                          "--boot-seconds", "0.5")  # fmt: skip
        assert local.returncode == 0, local.stderr
        deadline = time.monotonic() + 90
        while "r-phone" not in _devices(hosts):
            assert exporter.poll() is None, exporter.stdout.read()
            assert time.monotonic() < deadline, "the host's devices were never registered"
            time.sleep(0.5)
        yield hosts
    finally:
        if exporter is not None:
            exporter.terminate()
            exporter.wait(timeout=30)
        hosts.destroy()


def _devices(hosts) -> dict[str, dict]:
    done = hosts.lab(hosts.ctl, "devices", "--inventory", str(hosts.inventory), "--json")
    if done.returncode != 0:
        return {}
    return {d["id"]: d for d in json.loads(done.stdout)["devices"]}


def test_the_host_exports_adb_and_rfc2217_consoles(hosts):
    devices = _devices(hosts)
    for device_id, port in (("r-watch", 7100), ("r-phone", 7101)):
        found = devices[device_id]
        assert found["adb_server"] == f"{hosts.host_ip}:5037" and found["state"] == "device"
        assert found["console_url"] == f"rfc2217://{hosts.host_ip}:{port}?ign_set_control"
        assert found["console"] == "opens", found["console_detail"]


def test_the_hosts_adb_server_is_reached_on_its_advertised_address_only(hosts):
    """adb has no authentication: export must not put it on every interface (`adb -a`)."""
    done = subprocess.run(["ip", "netns", "exec", hosts.host, "ss", "-Hltn", "sport = :5037"],
                          capture_output=True, text=True, timeout=30, check=True)  # fmt: skip
    bound = {line.split()[3] for line in done.stdout.splitlines()}
    assert f"{hosts.host_ip}:5037" in bound, bound
    assert bound <= {f"{hosts.host_ip}:5037", "127.0.0.1:5037", "[::1]:5037"}, bound
    other = hosts.host_ip.rsplit(".", 1)[0] + ".3"  # another address of the same host
    subprocess.run(["ip", "-n", hosts.host, "addr", "add", f"{other}/24", "dev",
                    hosts.host_link], check=True, timeout=30)  # fmt: skip
    probe = ("import socket, sys\ntry:\n    socket.create_connection((sys.argv[1], 5037), 3)"
             "\n    print('open')\nexcept OSError:\n    print('refused')")  # fmt: skip
    for address, expected in ((hosts.host_ip, "open"), (other, "refused")):
        said = subprocess.run(["ip", "netns", "exec", hosts.ctl, sys.executable, "-c", probe,
                               address], capture_output=True, text=True, timeout=30)  # fmt: skip
        assert said.stdout.strip() == expected, (address, said.stdout, said.stderr)


def test_the_nfc_reader_beside_the_hosts_watch_answers_over_rfc2217(hosts, tmp_path):
    suite = write_suite(tmp_path / "suite", READER_BESIDE)
    reports = tmp_path / "reports"
    done = hosts.lab(hosts.ctl, "run", str(suite), "--inventory", str(hosts.inventory),
                     "--device", "r-watch", "--report-dir", str(reports),
                     "--no-sim")  # fmt: skip
    found = results(reports)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert [(labels(r, "parentSuite"), r["status"]) for r in found] == [(["r-watch"], "passed")]


def test_the_smoke_suite_runs_on_the_hosts_devices(hosts, tmp_path):
    reports = tmp_path / "reports"
    done = hosts.lab(hosts.ctl, "run", "tos/smoke", "--inventory", str(hosts.inventory),
                     "--device", "r-watch", "--device", "r-phone", "-n", "2",
                     "--report-dir", str(reports))  # fmt: skip
    found = results(reports)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert {labels(r, "parentSuite")[0] for r in found} == {"r-watch", "r-phone"}
    assert found and all(r["status"] == "passed" for r in found)
    consoles = [r for r in found if "console" in r["name"]]
    assert consoles, "the smoke suite has console tests: they ran over RFC 2217"


def test_a_network_cut_mid_test_is_noticed_and_the_test_runs_elsewhere(hosts, tmp_path):
    suite = write_suite(tmp_path / "suite", CUT_MID_TEST)
    mark = tmp_path / "cut"
    reports = tmp_path / "reports"
    controller = hosts.start(hosts.ctl, "run", str(suite), "--inventory", str(hosts.inventory),
                             "--device", "r-watch", "--device", "c-watch", "-k", "r-watch",
                             "--report-dir", str(reports), "--no-sim",
                             CUT_MARK=str(mark))  # fmt: skip
    deadline = time.monotonic() + 60
    while not mark.exists():
        assert controller.poll() is None, controller.stdout.read()
        assert time.monotonic() < deadline, "the test never started on r-watch"
        time.sleep(0.1)
    time.sleep(1.0)
    cut_at = time.time()
    hosts.link(up=False)
    try:
        output = controller.communicate(timeout=240)[0]
    finally:
        hosts.link(up=True)
    attempts = sorted(results(reports), key=lambda r: r["start"])
    assert controller.returncode == 0, output[-3000:]
    assert [labels(r, "parentSuite")[0] for r in attempts] == ["r-watch", "c-watch"]
    first, second = attempts
    assert first["status"] == "broken" and result_category(first) == "Device lost"
    assert "watchdog" in first["statusDetails"]["message"]
    noticed = first["stop"] / 1000 - cut_at
    assert noticed <= 10.0, f"the cut was noticed after {noticed:.1f} s"
    assert second["status"] == "passed"
