"""An I/O-bound suite for measuring a farm (bench/bench_farm.py) and testing its pool
(tests/farm): each test mostly waits on its device, as most device tests do. Run
with --shard: each test runs once, on whichever device is free. IO_TESTS sets how many."""

from __future__ import annotations

import os

import pytest

COUNT = int(os.environ.get("IO_TESTS", "16"))


@pytest.mark.parametrize("n", range(COUNT))
def test_device_io(dut, n):
    assert dut.shell(f"sleep 0.5; echo io-{n}").stdout.strip() == f"io-{n}"
    image = dut.screenshot()
    assert image.shape[0] > 0
    assert dut.getprop("ro.product.model")
