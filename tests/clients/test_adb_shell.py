"""adb-shell: the pure-Python client that speaks ADB straight to a device's port (no adb
server), with protocol version 0x01000000 (checksums on every payload), with and without
an RSA key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from adb_shell.adb_device import AdbDeviceTcp
from adb_shell.auth.sign_cryptography import CryptographySigner
from adb_shell.exceptions import AdbConnectionError, DeviceAuthError, TcpTimeoutException

from tests.virtual_farm import LOCKED, SERIALS

pytestmark = pytest.mark.client("adb-shell")
PHONE_PORT = int(SERIALS["t-phone"].rsplit(":", 1)[1])


@pytest.fixture(scope="module")
def device(farm):
    client = AdbDeviceTcp("127.0.0.1", PHONE_PORT, default_transport_timeout_s=10.0)
    assert client.connect(auth_timeout_s=5, read_timeout_s=10)
    yield client
    client.close()


@pytest.fixture(scope="module")
def locked(farm):
    """t-locked: auth required; it trusts the key of this host's adb server."""
    farm.lab("sim", "up", "--inventory", str(farm.inventory), "--only", "t-locked")
    yield LOCKED
    farm.lab("sim", "down", "--inventory", str(farm.inventory), "--only", "t-locked")


def test_shell_with_command_substitution_and_loops(device):
    output = device.shell("echo $(getprop ro.product.model); for i in 1 2; do echo $i; done")
    assert output == "TOS Phone P10\n1\n2\n"


def test_shell_stderr_comes_with_stdout(device):
    assert device.shell("ls /nowhere") == "ls: /nowhere: No such file or directory\n"


def test_an_unknown_command_says_so_as_androids_mksh(device):
    assert device.shell("frobnicate") == "/system/bin/sh: frobnicate: inaccessible or not found\n"


def test_exec_out(device):
    assert device.exec_out("echo hi") == "hi\n"


def test_push_and_pull_one_megabyte(device, tmp_path):
    payload = os.urandom(1 << 20)
    (tmp_path / "up.bin").write_bytes(payload)
    device.push(str(tmp_path / "up.bin"), "/data/local/tmp/adbshell.bin")
    device.pull("/data/local/tmp/adbshell.bin", str(tmp_path / "down.bin"))
    assert (tmp_path / "down.bin").read_bytes() == payload


def test_stat(device):
    device.shell("echo -n 12345 > /data/local/tmp/five")
    mode, size, mtime = device.stat("/data/local/tmp/five")
    assert size == 5 and mode & 0o170000 == 0o100000 and mtime > 0


def test_list(device):
    device.shell("mkdir -p /data/local/tmp/listed && touch /data/local/tmp/listed/a")
    names = {bytes(entry.filename).decode() for entry in device.list("/data/local/tmp/listed")}
    assert names == {".", "..", "a"}


def test_streaming_shell_stops_when_closed(device):
    lines = device.streaming_shell("logcat -v brief -T 1")
    first = next(lines)
    assert first  # then the generator is dropped: the stream is closed (CLSE answered)
    lines.close()
    assert device.shell("echo still-works") == "still-works\n"


def test_root_is_refused_on_a_user_build(device):
    assert device.root() is None
    assert device.shell("id -u") == "2000\n"


def test_connect_with_the_authorized_rsa_key(locked):
    key = Path.home() / ".android" / "adbkey"
    client = AdbDeviceTcp("127.0.0.1", locked, default_transport_timeout_s=10.0)
    assert client.connect(rsa_keys=[CryptographySigner(str(key))], auth_timeout_s=5)
    assert client.shell("getprop ro.adb.secure") == "1\n"
    client.close()


@pytest.mark.clear_failure
def test_an_unknown_key_stays_unauthorized(locked, tmp_path):
    from adb_shell.auth.keygen import keygen

    keygen(str(tmp_path / "stranger"))
    client = AdbDeviceTcp("127.0.0.1", locked, default_transport_timeout_s=3.0)
    # adb-shell sends its public key after the signature fails, then waits for a CNXN
    # that never comes: the device stays unauthorized (no prompt is ever accepted)
    with pytest.raises((DeviceAuthError, AdbConnectionError, TcpTimeoutException)):
        client.connect(rsa_keys=[CryptographySigner(str(tmp_path / "stranger"))], auth_timeout_s=2)
    client.close()
