"""The game-pad link's pairing text and messages, as both ends and the tests spell them:
anything else in a QR code is not a pairing."""

from __future__ import annotations

import pytest

from lab.protocols.gamepad import Pairing, decode, encode, parse_pairing


def test_a_pairing_round_trips_through_its_url():
    pairing = Pairing("127.0.0.1", 40123, "042917", "tv-1")
    assert pairing.url == "tosplay://127.0.0.1:40123/pair?code=042917&tv=tv-1"
    assert parse_pairing(pairing.url) == pairing


@pytest.mark.parametrize(
    "text",
    [
        "",
        "https://127.0.0.1:40123/pair?code=042917",  # another scheme
        "tosplay://127.0.0.1/pair?code=042917",  # no port
        "tosplay://127.0.0.1:40123/join?code=042917",  # another path
        "tosplay://127.0.0.1:40123/pair?code=42917",  # five digits
        "tosplay://127.0.0.1:40123/pair?code=04291x",
        "tosplay://127.0.0.1:99999/pair?code=042917",  # no such port
        "weixin://wxpay/bizpayurl?pr=abc",  # a payment code is not a pairing
    ],
)
def test_other_texts_are_not_pairings(text):
    assert parse_pairing(text) is None


def test_messages_are_json_lines():
    line = encode({"press": "up", "seq": 3})
    assert line.endswith(b"\n") and b"\n" not in line[:-1]
    assert decode(line) == {"press": "up", "seq": 3}
    assert decode(b"not json\n") is None
    assert decode(b"[1, 2]\n") is None
