"""File leases: one holder at a time, a clear timeout, dead holders reclaimed."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from lab.farm.file_store import FileLeaseStore
from lab.farm.leases import LeaseTimeout, overlaps


def test_acquire_release_and_holder(tmp_path):
    store = FileLeaseStore(tmp_path)
    lease = store.acquire("tv-1", "me", timeout=1)
    assert store.holder("tv-1").holder == "me"
    store.release(lease)
    assert store.holder("tv-1") is None
    events = [json.loads(line)["event"] for line in store.log_path.read_text().splitlines()]
    assert events == ["acquire", "release"]


def test_second_holder_times_out_naming_the_first(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"""
import time
from pathlib import Path
from lab.farm.file_store import FileLeaseStore
store = FileLeaseStore(Path({str(tmp_path)!r}))  # kept: filelock unlocks on collection
store.acquire("tv-1", "other-run", timeout=5)
print("held", flush=True)
time.sleep(30)
""",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(LeaseTimeout, match="other-run"):
            FileLeaseStore(tmp_path).acquire("tv-1", "me", timeout=0.5)
        assert time.monotonic() - started < 3
    finally:
        holder.kill()
        holder.wait()


def test_a_dead_holders_lease_is_reclaimed(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"""
import os
from pathlib import Path
from lab.farm.file_store import FileLeaseStore
store = FileLeaseStore(Path({str(tmp_path)!r}))
store.acquire("watch-1", "crashed-run", timeout=5)
os._exit(9)  # dies holding the lease
""",
        ],
        check=False,
        timeout=30,
    )
    store = FileLeaseStore(tmp_path)
    lease = store.acquire("watch-1", "me", timeout=2)  # the kernel dropped the dead flock
    store.release(lease)
    events = [json.loads(line) for line in store.log_path.read_text().splitlines()]
    assert any(e["event"] == "reclaim" and e["holder"] == "crashed-run" for e in events)


def test_overlaps_finds_two_holders_of_one_device(tmp_path):
    log = tmp_path / "leases.jsonl"
    entries = [
        ("acquire", "tv-1", "a"),
        ("acquire", "tv-2", "b"),
        ("release", "tv-1", "a"),
        ("acquire", "tv-1", "c"),
        ("acquire", "tv-1", "d"),
        ("reclaim", "tv-2", "b"),  # b died holding it: its lease ended there
        ("acquire", "tv-2", "e"),
        ("expire", "tv-2", "e"),  # e's TTL ran out (Redis)
        ("acquire", "tv-2", "f"),
    ]
    log.write_text(
        "".join(
            json.dumps({"t": 0, "event": e, "device": d, "holder": h}) + "\n" for e, d, h in entries
        )
    )
    assert overlaps(log) == ["tv-1: d acquired while c held it"]
