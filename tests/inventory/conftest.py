"""Helpers to write inventories: a valid base device that each case then breaks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

VALID = """\
farm:
  adb_server: 127.0.0.1:5037
  lease_store: file:reports/.leases
devices:
  - id: watch-1
    class: watch
    model: TOS Watch W1
    platform: TOS+ 1.2
    virtual: true
    adb: {serial: 127.0.0.1:6520}
    console: {url: pty}
    display: {width: 454, height: 454, density: 320, shape: round}
    capabilities: [touch, round_display]
  - id: tv-1
    class: tv
    model: TOS Vision T55
    platform: TOS+ 1.2
    adb:
      serial: TV0001
      server: 10.1.2.3:5037
    console:
      url: rfc2217://10.1.2.3:4001?ign_set_control
      baud: 115200
    display:
      width: 1920
      height: 1080
      density: 320
    capabilities: [dpad, voice]
    tags: [living-room]
    location: {host: lab-02, rack: B1}
"""


@pytest.fixture
def write(tmp_path: Path):
    def _write(text: str, name: str = "inventory.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return _write
