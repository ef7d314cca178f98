"""The farm's Redis server (Debian's redis-server), started and stopped by `lab farm up|down`.

Its data lives in the runtime directory with an append-only file fsynced on every write:
the fencing-token counters must survive a restart, or a token could be handed out twice.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import redis

from lab.errors import LabError
from lab.runtime import process_identity, runtime_dir, same_process


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 6379


def _home(port: int) -> Path:
    path = runtime_dir() / f"redis-{port}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def running(url: str) -> bool:
    host, port = address(url)
    try:
        return bool(redis.Redis(host=host, port=port, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def up(url: str, timeout: float = 10.0) -> str:
    """Start redis-server for `url` unless one answers there; what happened, in a line."""
    host, port = address(url)
    if running(url):
        return f"redis at {host}:{port} is already up"
    binary = shutil.which("redis-server")
    if binary is None:
        raise LabError(
            "redis-server is not installed", hint="apt-get install redis-server (make does)"
        )
    home = _home(port)
    log = open(home / "redis.log", "ab")  # noqa: SIM115 (the server keeps it)
    process = subprocess.Popen(
        [
            binary,
            "--bind",
            host,
            "--port",
            str(port),
            "--dir",
            str(home),
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "",
            "--protected-mode",
            "no",
            "--daemonize",
            "no",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # outlives this command, like `lab sim up`'s devices
    )
    deadline = time.monotonic() + timeout
    while not running(url):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            tail = (home / "redis.log").read_text(errors="replace")[-600:]
            raise LabError(f"redis-server on {host}:{port} did not start:\n{tail}")
        time.sleep(0.05)
    (home / "server.json").write_text(json.dumps(process_identity(process.pid)))
    return f"redis at {host}:{port} started (pid {process.pid}, data in {home})"


def down(url: str, timeout: float = 10.0) -> str:
    host, port = address(url)
    record = _home(port) / "server.json"
    try:
        identity = json.loads(record.read_text())
    except (OSError, ValueError):
        identity = None
    if not same_process(identity):
        record.unlink(missing_ok=True)
        return f"no redis of ours on {host}:{port}"
    pid = int(identity["pid"])
    os.kill(pid, signal.SIGTERM)  # redis flushes its append-only file and exits
    deadline = time.monotonic() + timeout
    while same_process(identity) and time.monotonic() < deadline:
        time.sleep(0.05)
    if same_process(identity):
        os.kill(pid, signal.SIGKILL)
    record.unlink(missing_ok=True)
    return f"redis at {host}:{port} stopped"
