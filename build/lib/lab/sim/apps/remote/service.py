"""The phone's end of the game-pad link (lab/protocols/gamepad.py): it reads the TV's QR
code with the camera, pairs over a TCP connection to the TV, sends presses and a heartbeat,
and when the link is lost (Wi-Fi off, the TV gone) tries to resume its player with its
token every second for RESUME_FOR seconds."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from typing import Protocol

import numpy as np

from lab.protocols.gamepad import (
    HEARTBEAT_SECONDS,
    Pairing,
    decode,
    encode,
    parse_pairing,
)
from lab.sim.android.camera import read_qr

PACKAGE = "com.tos.remote"
TAG = "TosRemote"
SCAN_FOR = 30.0
RESUME_FOR = 60.0
CONNECT_TIMEOUT = 3.0
log = logging.getLogger("remote")


class Host(Protocol):
    windows: object

    def log(self, priority: str, tag: str, message: str, pid: int = ...) -> None: ...
    def online(self) -> bool: ...
    def camera_frame(self) -> np.ndarray | None: ...


class RemoteService:
    def __init__(self, host: Host, name: str) -> None:
        self.host = host
        self.name = name
        self.status = "idle"  # idle | scanning | connecting | connected | lost | refused:why
        self.player = 0
        self.at: tuple[int, int] | None = None
        self.score = 0
        self.tv = ""
        self._pairing: Pairing | None = None
        self._token = ""
        self._sock: socket.socket | None = None
        self._stale: list[socket.socket] = []  # links given up on, closed when back online
        self._seq = 0
        self._generation = 0
        self._lock = threading.RLock()

    # -- scanning the TV's code
    def scan(self) -> None:
        with self._lock:
            self._generation += 1
            generation = self._generation
            self._drop()
            self._set("scanning")
        threading.Thread(target=self._scan, args=(generation,), daemon=True,
                         name="remote-scan").start()  # fmt: skip

    def _scan(self, generation: int) -> None:
        deadline = time.monotonic() + SCAN_FOR
        while time.monotonic() < deadline and generation == self._generation:
            frame = self.host.camera_frame()
            text = read_qr(frame) if frame is not None else ""
            pairing = parse_pairing(text) if text else None
            if pairing is not None:
                self._connect(pairing, generation)
                return
            time.sleep(0.1)
        if generation == self._generation and self.status == "scanning":
            self._set("no_tv_code")

    # -- the link
    def _connect(self, pairing: Pairing, generation: int, resume: bool = False) -> bool:
        if not self.host.online():
            self._set("offline")
            return False
        self._set("connecting")
        hello = {"resume": self._token} if resume else {"code": pairing.code}
        try:
            sock = socket.create_connection((pairing.host, pairing.port), CONNECT_TIMEOUT)
            sock.settimeout(CONNECT_TIMEOUT)
            sock.sendall(encode({"hello": {**hello, "name": self.name}}))
            reader = sock.makefile("rb")
            answer = decode(reader.readline()) or {}
        except OSError as exc:
            self._log("W", f"cannot reach the TV at {pairing.host}:{pairing.port}: {exc}")
            self._set("lost" if resume else "unreachable")
            return False
        if "welcome" not in answer:
            sock.close()
            why = str(answer.get("refused", "no_answer"))
            self._log("W", f"pairing refused: {why}")
            self._set(f"refused:{why}")
            return False
        welcome = answer["welcome"]
        with self._lock:
            if generation != self._generation:
                sock.close()
                return False
            self._pairing, self._sock = pairing, sock
            self._token, self.player = str(welcome["token"]), int(welcome["player"])
            self.at, self.tv = tuple(welcome["at"]), pairing.tv
            self._set("connected")
            windows = self.host.windows
            if windows.top_component().startswith(PACKAGE):  # type: ignore[attr-defined]
                windows.start(PACKAGE, ".Pad")  # type: ignore[attr-defined]
        self._log("I", f"{'resumed' if resume else 'paired as'} player {self.player} on "
                       f"{pairing.tv or pairing.host}")  # fmt: skip
        threading.Thread(target=self._read, args=(sock, reader, generation), daemon=True,
                         name="remote-read").start()  # fmt: skip
        threading.Thread(target=self._beat, args=(sock, generation), daemon=True,
                         name="remote-beat").start()  # fmt: skip
        return True

    def _read(self, sock: socket.socket, reader, generation: int) -> None:
        sock.settimeout(None)
        try:
            for line in reader:
                message = decode(line) or {}
                moved = message.get("moved")
                if isinstance(moved, dict):
                    with self._lock:
                        self.at, self.score = tuple(moved["at"]), int(moved.get("score", 0))
                    self.host.windows.refresh()  # type: ignore[attr-defined]
        except (OSError, ValueError):
            pass
        self._lost(sock, generation)

    def _beat(self, sock: socket.socket, generation: int) -> None:
        """A heartbeat every second; with the network gone the link is gone too (a phone
        losing Wi-Fi loses its sockets)."""
        n = 0
        while generation == self._generation and self._sock is sock:
            if not self.host.online():
                # no network, no packets: the socket stays as it is (the TV hears silence
                # and drops the player after HEARTBEAT_LOST), a new one resumes later
                self._lost(sock, generation, close=False)
                return
            n += 1
            try:
                sock.sendall(encode({"ping": n}))
            except OSError:
                return
            time.sleep(HEARTBEAT_SECONDS)

    def _lost(self, sock: socket.socket, generation: int, close: bool = True) -> None:
        with self._lock:
            if self._sock is not sock or generation != self._generation:
                return
            self._sock = None
            self._stale.append(sock)
            if close:
                self._close_stale()
            self._set("lost")
        self._log("W", f"link to the TV lost (player {self.player}); resuming")
        threading.Thread(target=self._resume, args=(generation,), daemon=True,
                         name="remote-resume").start()  # fmt: skip

    def _resume(self, generation: int) -> None:
        deadline = time.monotonic() + RESUME_FOR
        while time.monotonic() < deadline and generation == self._generation:
            pairing = self._pairing
            if pairing and self.host.online():
                self._close_stale()
            if pairing and self.host.online() and self._connect(pairing, generation, True):
                return
            if self.status.startswith("refused"):
                return
            time.sleep(1.0)

    def _drop(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            self._stale.append(sock)
        self._close_stale()

    def _close_stale(self) -> None:
        while self._stale:
            with contextlib.suppress(OSError):
                self._stale.pop().close()

    # -- the pad
    def press(self, button: str) -> None:
        with self._lock:
            sock = self._sock
            if sock is None:
                self._log("W", f"{button} pressed while {self.status}: not sent")
                return
            self._seq += 1
            try:
                sock.sendall(encode({"press": button, "seq": self._seq}))
            except OSError:
                return

    def _set(self, status: str) -> None:
        self.status = status
        self.host.windows.refresh()  # type: ignore[attr-defined]

    def _log(self, priority: str, message: str) -> None:
        self.host.log(priority, TAG, message)
