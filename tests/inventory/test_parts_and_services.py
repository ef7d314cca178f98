"""The inventory's services (farm.services) and bench parts (peripherals): a broken entry
gets a located error like any other, and a good one loads."""

from __future__ import annotations

import pytest

from lab.errors import LabError
from lab.inventory import load_inventory
from tests.inventory.conftest import VALID

EXTRA = """\
peripherals:
  - {id: nfc-1, kind: nfc_reader, model: PN532, virtual: true, port: pty, faces: watch-1}
"""
WITH_NFC = VALID.replace("[touch, round_display]", "[touch, round_display, nfc]")
SERVICES = "  services:\n    payment: {url: 'http://127.0.0.1:8750'}\n"


def _line(text: str, fragment: str) -> int:
    return text[: text.rindex(fragment)].count("\n") + 1


def test_a_reader_and_the_sandbox_load(write):
    text = WITH_NFC.replace("devices:\n", SERVICES + "devices:\n", 1) + EXTRA
    inventory = load_inventory(write(text))
    assert inventory.farm.services.payment.url == "http://127.0.0.1:8750"
    assert inventory.farm.services.payment.host_port == ("127.0.0.1", 8750)
    reader = inventory.peripheral("nfc_reader", "watch-1")
    assert reader is not None and (reader.id, reader.port) == ("nfc-1", "pty")
    assert inventory.peripheral("nfc_reader", "tv-1") is None


@pytest.mark.parametrize(
    ("edit", "fragment", "field", "words"),
    [
        (
            ("faces: watch-1", "faces: watch-9"),
            "faces: watch-9",
            "peripherals[0].faces",
            "no device 'watch-9'",
        ),
        (
            ("kind: nfc_reader", "kind: toaster"),
            "kind: toaster",
            "peripherals[0].kind",
            "'nfc_reader'",
        ),
        (
            ("virtual: true, port: pty", "port: pty"),
            "port: pty",
            "peripherals[0].port",
            "only on virtual parts",
        ),
        (("id: nfc-1", "id: tv-1"), "id: tv-1", "peripherals[0].id", "is taken"),
        (
            ("faces: watch-1", "faces: tv-1"),
            "faces: tv-1",
            "peripherals[0].faces",
            "no `nfc` capability",
        ),
    ],
)
def test_a_broken_part_is_located(write, edit, fragment, field, words):
    text = WITH_NFC + EXTRA.replace(*edit)
    with pytest.raises(LabError) as caught:
        load_inventory(write(text))
    message = str(caught.value)
    assert f":{_line(text, fragment)}:" in message and field in message and words in message, (
        message
    )


@pytest.mark.parametrize(
    ("url", "words"),
    [("ftp://127.0.0.1:8750", "http:// or https://"), ("http://127.0.0.1", "host:port")],
)
def test_a_bad_service_url_is_located(write, url, words):
    text = VALID.replace(
        "devices:\n", SERVICES.replace("http://127.0.0.1:8750", url) + "devices:\n", 1
    )
    with pytest.raises(LabError) as caught:
        load_inventory(write(text))
    message = str(caught.value)
    assert ":5:" in message and "farm.services.payment.url" in message and words in message, message
