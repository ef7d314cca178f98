"""The game's state: players on a grid collecting a star, and the one-time pairing codes
that let a phone join. Pure state, guarded by one lock; the server and the screens read
and change it."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from lab.protocols.gamepad import CODE_SECONDS

COLS, ROWS = 8, 5
MAX_PLAYERS = 4
STARTS = ((0, 0), (COLS - 1, ROWS - 1), (COLS - 1, 0), (0, ROWS - 1))
STEPS = {"up": (0, -1), "down": (0, 1), "left": (-1, 0), "right": (1, 0)}


@dataclass
class Player:
    number: int
    name: str
    token: str
    col: int
    row: int
    score: int = 0
    connected: bool = True


class Game:
    def __init__(self) -> None:
        self.players: dict[int, Player] = {}
        self.star = (COLS // 2, ROWS // 2)
        self.code_seconds = CODE_SECONDS
        self._code = ""
        self._code_at = 0.0
        self._stars = 0
        self._used: set[str] = set()
        self._lock = threading.RLock()
        self.new_code()

    # -- pairing
    def new_code(self) -> str:
        with self._lock:
            self._code = f"{secrets.randbelow(10**6):06d}"
            self._code_at = time.monotonic()
            return self._code

    def code(self) -> str:
        """The code on screen: a fresh one once the last has expired."""
        with self._lock:
            if time.monotonic() - self._code_at > self.code_seconds:
                self.new_code()
            return self._code

    def join(self, code: str, name: str) -> Player | str:
        """A new player for a right, fresh code (then used up); else why not."""
        with self._lock:
            if code in self._used:
                return "used_code"
            if code != self._code:
                return "wrong_code"
            if time.monotonic() - self._code_at > self.code_seconds:
                return "expired_code"
            if len(self.players) >= MAX_PLAYERS:
                return "full"
            number = len(self.players) + 1
            col, row = STARTS[number - 1]
            player = Player(number, name, secrets.token_hex(8), col, row)
            self.players[number] = player
            self._used.add(code)
            self.new_code()  # single use: the next phone needs the next code
            return player

    def resume(self, token: str) -> Player | str:
        with self._lock:
            for player in self.players.values():
                if secrets.compare_digest(player.token, token):
                    player.connected = True
                    return player
            return "unknown_token"

    def disconnect(self, number: int) -> None:
        with self._lock:
            if number in self.players:
                self.players[number].connected = False

    # -- play
    def press(self, number: int, button: str) -> Player:
        """A button of player `number`: a direction moves it one cell (not off the grid);
        landing on the star scores and moves the star."""
        with self._lock:
            player = self.players[number]
            step = STEPS.get(button)
            if step:
                player.col = min(COLS - 1, max(0, player.col + step[0]))
                player.row = min(ROWS - 1, max(0, player.row + step[1]))
            if (player.col, player.row) == self.star:
                player.score += 1
                self._stars += 1
                self.star = ((self.star[0] + 3 * self._stars) % COLS,
                             (self.star[1] + 2 * self._stars) % ROWS)  # fmt: skip
            return player

    def snapshot(self) -> tuple[list[Player], tuple[int, int]]:
        with self._lock:
            return [Player(**vars(p)) for p in self.players.values()], self.star

    def reset(self) -> None:
        """A new game: no players, a fresh code (the lab's `am start ... --ez reset true`)."""
        with self._lock:
            self.players.clear()
            self._used.clear()
            self.star, self._stars = (COLS // 2, ROWS // 2), 0
            self.new_code()
