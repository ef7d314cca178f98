"""Bad input never takes a device down: random, truncated and oversized packets, bad magic,
unknown services and garbage on the uiautomator2 port close only the offending connection
or stream (with a log line) while the device goes on serving everyone else."""

from __future__ import annotations

import socket

import uiautomator2 as u2
from adbutils import Network
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sim import raw_adb
from tests.sim.raw_adb import CLSE, CNXN, OKAY, OPEN, WRTE, hello, packet, read_packet
from tests.virtual_farm import PORTS, SERIALS

PORT = PORTS["t-phone"]
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _still_serving() -> None:
    assert raw_adb.shell(PORT, "echo alive") == b"alive\n"


def _closed_or_answered(sock: socket.socket) -> None:
    """The device either closes the connection or answers; it never hangs it open silently
    past the socket timeout without reading."""
    try:
        while read_packet(sock) is not None:
            pass
    except OSError:
        pass


@FUZZ
@given(junk=st.binary(min_size=1, max_size=4096))
def test_random_bytes(farm, junk):
    with raw_adb.connect(PORT, timeout=2) as sock:
        try:
            sock.sendall(junk)
            sock.shutdown(socket.SHUT_WR)  # the device sees the end of it: it must hang up
        except OSError:
            pass  # it already hung up on a bad header: that is the answer we want
        _closed_or_answered(sock)
    _still_serving()


@FUZZ
@given(
    command=st.sampled_from([CNXN, OPEN, OKAY, CLSE, WRTE]),
    magic=st.integers(0, 2**32 - 1),
    cut=st.integers(1, 23),
)
def test_bad_magic_and_truncated_headers(farm, command, magic, cut):
    with raw_adb.connect(PORT, timeout=0.5) as sock:
        sock.sendall(
            packet(command, 1, 0, b"x", magic=magic if magic != command ^ 0xFFFFFFFF else 0)
        )
        _closed_or_answered(sock)
    with raw_adb.connect(PORT, timeout=0.5) as sock:
        sock.sendall(hello()[:cut])  # then hang up mid-header
    _still_serving()


def test_oversized_payload_closes_with_a_log_line(farm):
    with raw_adb.connect(PORT) as sock:
        sock.sendall(packet(CNXN, 0x01000001, 4096, b"", length=64 * 1024 * 1024))
        _closed_or_answered(sock)
    _still_serving()
    assert "exceeds" in farm.log("t-phone")


@FUZZ
@given(service=st.text(min_size=0, max_size=200))
def test_unknown_services_are_refused_cleanly(farm, service):
    with raw_adb.connect(PORT) as sock:
        sock.sendall(hello())
        assert read_packet(sock)[0] == CNXN
        sock.sendall(packet(OPEN, 7, 0, f"nosuch{service}\0".encode()))
        reply = read_packet(sock)
        assert reply is not None and reply[0] == CLSE and reply[2] == 7
        # the same connection still works after a refusal
        sock.sendall(packet(OPEN, 8, 0, b"shell:echo ok\0"))
        assert read_packet(sock)[0] == OKAY
    _still_serving()


def test_open_before_connect_is_a_protocol_error(farm):
    with raw_adb.connect(PORT) as sock:
        sock.sendall(packet(OPEN, 1, 0, b"shell:id\0"))
        assert read_packet(sock) is None  # closed
    assert "before the connection was accepted" in farm.log("t-phone")
    _still_serving()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(garbage=st.binary(min_size=1, max_size=2048))
def test_garbage_on_the_uiautomator2_port(farm, garbage):
    phone = u2.connect(SERIALS["t-phone"])  # makes sure the agent runs
    conn = farm.device(SERIALS["t-phone"]).create_connection(Network.TCP, 9008)
    conn.settimeout(2)
    try:
        conn.sendall(garbage + b"\r\n\r\n")
        while conn.recv(4096):
            pass
    except OSError:
        pass
    finally:
        conn.close()
    assert phone.info["displayWidth"] == 1080  # the agent still answers
