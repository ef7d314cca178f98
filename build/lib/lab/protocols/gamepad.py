"""The phone-as-game-pad link between a TOS+ TV game and the phone's remote app, as both
ends (and a test) spell it.

Pairing: the TV shows a QR code of `tosplay://HOST:PORT/pair?code=NNNNNN&tv=NAME`: where
its game listens, and a one-time code (single use, valid CODE_SECONDS unless the TV is
told otherwise). Then JSON lines over one TCP connection:

    phone -> TV  {"hello": {"code": "123456", "name": "phone-1"}}   first pairing
                 {"hello": {"resume": "<token>", "name": "phone-1"}} after a lost link
    TV -> phone  {"welcome": {"player": 1, "token": "<token>", "at": [0, 0]}}
                 {"refused": "wrong_code" | "expired_code" | "used_code" | "full" |
                             "unknown_token"}
    phone -> TV  {"press": "up|down|left|right|a|b", "seq": 7}    a button
                 {"ping": 8}                                       a heartbeat, every second
    TV -> phone  {"moved": {"seq": 7, "at": [1, 0], "score": 2}}  or {"pong": 8}

The TV drops a player whose link says nothing for HEARTBEAT_LOST seconds (shown on its
screen) and keeps its place: the phone resumes it with its token."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

SCHEME = "tosplay"
BUTTONS = ("up", "down", "left", "right", "a", "b")
CODE_SECONDS = 120.0
HEARTBEAT_SECONDS = 1.0
HEARTBEAT_LOST = 3.0
# how the game draws player N (RGB), so a camera or a screenshot can find it on the board
PLAYER_COLOURS = ((229, 57, 53), (30, 136, 229), (67, 160, 71), (251, 140, 0))
REFUSALS = ("wrong_code", "expired_code", "used_code", "full", "unknown_token")


@dataclass(frozen=True)
class Pairing:
    host: str
    port: int
    code: str
    tv: str = ""

    @property
    def url(self) -> str:
        return f"{SCHEME}://{self.host}:{self.port}/pair?code={self.code}&tv={self.tv}"


def parse_pairing(text: str) -> Pairing | None:
    """The pairing a QR code's text names; None for any other text."""
    parts = urlsplit(text.strip())
    if parts.scheme != SCHEME or parts.path != "/pair" or not parts.hostname:
        return None
    query = parse_qs(parts.query)
    code = query.get("code", [""])[0]
    try:
        port = parts.port
    except ValueError:
        return None
    if not port or not (len(code) == 6 and code.isdigit()):
        return None
    return Pairing(parts.hostname, port, code, query.get("tv", [""])[0])


def encode(message: dict) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


def decode(line: bytes) -> dict | None:
    """One message, or None for a line that is not a JSON object."""
    try:
        found = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    return found if isinstance(found, dict) else None
