"""The game's end of the link (lab/protocols/gamepad.py): a TCP server on the device's
loopback, one thread per phone. A phone whose link is silent for HEARTBEAT_LOST seconds
is dropped (the screen says so) and keeps its place for its token."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable

from lab.protocols.gamepad import BUTTONS, HEARTBEAT_LOST, decode, encode
from lab.sim.apps.arcade.game import Game, Player

log = logging.getLogger("arcade")


class GameServer:
    def __init__(self, game: Game, changed: Callable[[str], None]) -> None:
        self.game = game
        self._changed = changed  # told what happened, for the screen and the log
        self._sock: socket.socket | None = None
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        return self._sock.getsockname()[1] if self._sock else 0

    def start(self) -> None:
        if self._sock is not None:
            return
        self._sock = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._accept, args=(self._sock,), daemon=True,
                         name="arcade-accept").start()  # fmt: skip

    def stop(self) -> None:
        sock, self._sock = self._sock, None
        if sock:
            sock.close()
        with self._lock:
            for conn in list(self._conns):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)

    def _accept(self, sock: socket.socket) -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True,
                             name="arcade-player").start()  # fmt: skip

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(HEARTBEAT_LOST)
        with self._lock:
            self._conns.add(conn)
        player: Player | None = None
        try:
            reader = conn.makefile("rb")
            first = decode(reader.readline())
            player = self._greet(conn, first)
            if player is None:
                return
            for line in reader:
                message = decode(line)
                if message is None:
                    continue
                if "ping" in message:
                    conn.sendall(encode({"pong": message["ping"]}))
                elif message.get("press") in BUTTONS:
                    moved = self.game.press(player.number, message["press"])
                    conn.sendall(encode({"moved": {"seq": message.get("seq"),
                                                   "at": [moved.col, moved.row],
                                                   "score": moved.score}}))  # fmt: skip
                    self._changed(f"player {player.number} {message['press']}")
        except (OSError, TimeoutError):
            pass
        finally:
            with self._lock:
                self._conns.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()
            if player is not None:
                self.game.disconnect(player.number)
                self._changed(f"player {player.number} lost")

    def _greet(self, conn: socket.socket, hello: dict | None) -> Player | None:
        fields = hello.get("hello") if hello else None
        if not isinstance(fields, dict):
            conn.sendall(encode({"refused": "wrong_code"}))
            return None
        name = str(fields.get("name", ""))[:64]
        if "resume" in fields:
            found = self.game.resume(str(fields["resume"]))
        else:
            found = self.game.join(str(fields.get("code", "")), name)
        if isinstance(found, str):
            conn.sendall(encode({"refused": found}))
            self._changed(f"refused {name}: {found}")
            return None
        conn.sendall(encode({"welcome": {"player": found.number, "token": found.token,
                                         "at": [found.col, found.row]}}))  # fmt: skip
        self._changed(f"player {found.number} {'back' if 'resume' in fields else 'joined'}")
        return found
