"""Every broken inventory gives a located error (file:line, field, found/expected) and
`lab devices` exits 2 with it: never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lab.cli import main
from lab.errors import LabError
from lab.inventory import load_inventory
from tests.inventory.conftest import VALID

# (case, old text, new text, line, field, fragments of the message)
EDITS = [
    (
        "wrong type",
        "width: 1920",
        'width: "1920"',
        25,
        "devices[1].display.width",
        ["valid integer", "'1920'"],
    ),
    (
        "unknown key",
        "    model: TOS Vision T55",
        "    modle: TOS Vision T55",
        16,
        "devices[1].modle",
        ["unknown key 'modle'", "did you mean 'model'"],
    ),
    (
        "bad class",
        "class: tv",
        "class: fridge",
        15,
        "devices[1].class",
        ["'watch', 'tv', 'headset' or 'phone'", "'fridge'"],
    ),
    (
        "unknown capability",
        "[dpad, voice]",
        "[dpad, vioce]",
        28,
        "devices[1].capabilities[1]",
        ["unknown capability 'vioce'", "did you mean 'voice'"],
    ),
    ("duplicate id", "id: tv-1", "id: watch-1", 14, "devices[1].id", ["duplicate id 'watch-1'"]),
    (
        "duplicate serial",
        "serial: TV0001\n      server: 10.1.2.3:5037",
        "serial: 127.0.0.1:6520",
        19,
        "devices[1].adb.serial",
        ["duplicate adb serial '127.0.0.1:6520'"],
    ),
    (
        "bad console url",
        "rfc2217://10.1.2.3:4001?ign_set_control",
        "telnet://10.1.2.3:4001",
        22,
        "devices[1].console.url",
        ["pyserial URL", "telnet://"],
    ),
    (
        "console url without port",
        "rfc2217://10.1.2.3:4001?ign_set_control",
        "socket://10.1.2.3",
        22,
        "devices[1].console.url",
        ["host:port"],
    ),
    (
        "adb server without port",
        "server: 10.1.2.3:5037",
        "server: 10.1.2.3",
        20,
        "devices[1].adb.server",
        ["expected host:port"],
    ),
    (
        "port out of range",
        "server: 10.1.2.3:5037",
        "server: 10.1.2.3:99999",
        20,
        "devices[1].adb.server",
        ["out of range"],
    ),
    (
        "bad shape",
        "shape: round",
        "shape: oval",
        12,
        "devices[0].display.shape",
        ["'rect', 'round' or 'stereo'"],
    ),
    (
        "density too low",
        "density: 320\n    capabilities: [dpad",
        "density: -5\n    capabilities: [dpad",
        27,
        "devices[1].display.density",
        ["greater than or equal to 72"],
    ),
    (
        "repeated key",
        "    platform: TOS+ 1.2\n    adb:\n",
        "    platform: TOS+ 1.2\n    platform: TOS+ 2.0\n    adb:\n",
        18,
        "",
        ["key 'platform' appears twice", "first at line 17"],
    ),
    (
        "not a boolean",
        "virtual: true",
        "virtual: maybe",
        9,
        "devices[0].virtual",
        ["valid boolean", "'maybe'"],
    ),
    (
        "virtual on emulator port",
        "127.0.0.1:6520",
        "127.0.0.1:5556",
        10,
        "devices[0].adb.serial",
        ["5554-5585"],
    ),
    (
        "virtual off loopback",
        "127.0.0.1:6520",
        "10.0.0.9:6520",
        10,
        "devices[0].adb.serial",
        ["loopback"],
    ),
    (
        "pty on a real device",
        "rfc2217://10.1.2.3:4001?ign_set_control",
        "pty",
        22,
        "devices[1].console.url",
        ["only on virtual devices"],
    ),
    (
        "bad lease store",
        "file:reports/.leases",
        "ftp://leases",
        3,
        "farm.lease_store",
        ["redis://host:port/db", "'ftp://leases'"],
    ),
    ("bad id", "id: tv-1", "id: TV One", 14, "devices[1].id", ["lower-case"]),
    (
        "contradicting capability",
        "[dpad, voice]",
        "[dpad, voice, round_display]",
        28,
        "devices[1].capabilities",
        ["contradicts display shape 'rect'"],
    ),
    ("unknown top-level key", "farm:", "frm:", 1, "frm", ["did you mean 'farm'"]),
    (
        "missing field",
        "    platform: TOS+ 1.2\n    virtual: true\n",
        "    virtual: true\n",
        5,
        "devices[0].platform",
        ["required key is missing"],
    ),
    (
        "baud not a number",
        "baud: 115200",
        "baud: fast",
        23,
        "devices[1].console.baud",
        ["valid integer"],
    ),
    (
        "tags not a list",
        "tags: [living-room]",
        "tags: living-room",
        29,
        "devices[1].tags",
        ["valid list"],
    ),
]

WHOLE = [
    ("empty file", "", 1, "", ["the file is empty"]),
    ("only a comment", "# nothing yet\n", 1, "", ["the file is empty"]),
    ("not YAML", "devices: [unclosed\n  - x: {\n", 2, "", ["not valid YAML"]),
    ("tab indentation", "devices:\n\t- id: x\n", 2, "", ["not valid YAML"]),
    ("top level is a list", "- id: x\n- id: y\n", 1, "", ["expected a mapping", "a list"]),
    ("no devices", "devices: []\n", 1, "devices", ["at least 1"]),
    ("devices not a list", "devices: {id: x}\n", 1, "devices", ["valid list"]),
    (
        "devices missing",
        "farm: {adb_server: 127.0.0.1:5037}\n",
        1,
        "devices",
        ["required key is missing"],
    ),
]


def _cases():
    for name, old, new, line, field, fragments in EDITS:
        assert old in VALID, f"case {name!r}: {old!r} is not in the base inventory"
        yield pytest.param(VALID.replace(old, new, 1), line, field, fragments, id=name)
    for name, text, line, field, fragments in WHOLE:
        yield pytest.param(text, line, field, fragments, id=name)


CASES = list(_cases())


@pytest.mark.parametrize(("text", "line", "field", "fragments"), CASES)
def test_error_names_line_field_and_problem(write, text, line, field, fragments):
    path = write(text)
    with pytest.raises(LabError) as caught:
        load_inventory(path)
    message = str(caught.value)
    assert f"{path}:{line}:" in message, message
    if field:
        assert f" {field}" in message, message
    for fragment in fragments:
        assert fragment in message, message


@pytest.mark.parametrize(("text", "line", "field", "fragments"), CASES)
def test_lab_devices_exits_2_without_traceback(
    write, capsys, monkeypatch, text, line, field, fragments
):
    path = write(text)
    monkeypatch.setattr(sys, "argv", ["lab", "devices", "--inventory", str(path)])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{path}:{line}:" in err.replace("\n", "")


def test_missing_file(tmp_path: Path):
    with pytest.raises(LabError, match="no such file") as caught:
        load_inventory(tmp_path / "nope.yaml")
    assert "--inventory" in str(caught.value)  # says how to fix it


def test_directory_instead_of_file(tmp_path: Path):
    with pytest.raises(LabError, match="is a directory"):
        load_inventory(tmp_path)


def test_not_utf8(tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("devices:\n  - id: caf\xe9\n".encode("latin-1"))
    with pytest.raises(LabError, match="not UTF-8"):
        load_inventory(path)


def test_all_problems_reported_at_once(write):
    text = VALID.replace("class: tv", "class: fridge").replace("shape: round", "shape: oval")
    with pytest.raises(LabError) as caught:
        load_inventory(write(text))
    message = str(caught.value)
    assert "2 problems" in message
    assert ":15:" in message and ":12:" in message
