"""The farm's Redis server (Debian's redis-server), started and stopped by `lab farm up|down`.

Its data lives in the runtime directory with an append-only file fsynced on every write:
the fencing-token counters must survive a restart, or a token could be handed out twice.

It binds only the address its URL names, always in protected mode; off loopback it starts
only with a password (`?password_file=PATH`): whoever can write the farm's books can take
every device's lease and mark any device good.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import redis

from lab.errors import LabError
from lab.farm.redis_target import RedisTarget
from lab.inventory import is_loopback
from lab.runtime import process_identity, runtime_dir, same_process


def _home(port: int) -> Path:
    path = runtime_dir() / f"redis-{port}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def answer(target: RedisTarget) -> str | None:
    """None when the server answers us; else why not ("down", or the server refusing us)."""
    try:
        client = redis.Redis(host=target.host, port=target.port, socket_timeout=1,
                             password=target.password())  # fmt: skip
        client.ping()
        return None
    except redis.AuthenticationError as exc:
        return f"it refuses us: {exc}"
    except redis.RedisError:
        return "down"


def running(target: RedisTarget) -> bool:
    return answer(target) is None


def up(target: RedisTarget, timeout: float = 10.0) -> str:
    """Start redis-server for `target` unless one answers there; what happened, in a line.
    With a password file (made here when missing) the server wants that password; it is
    given on the server's standard input, never among its arguments (`ps` shows those)."""
    host, port = target.host, target.port
    if not is_loopback(host) and target.password_file is None:
        raise LabError(
            f"a Redis on {host} (not loopback) would take commands from anyone who reaches "
            "it: the farm's leases and health",
            hint=f"add ?password_file=PATH to the lease store URL (`lab farm up` makes the "
            f"file), e.g. redis://{host}:{port}/0?password_file=/etc/tos-lab/redis.pass",
        )
    made = target.create_password_file()
    why = answer(target)
    if why is None:
        return f"redis at {host}:{port} is already up"
    if why != "down":
        raise LabError(
            f"a redis on {host}:{port} is up but {why}",
            hint="give the URL the password file of that server (?password_file=PATH), or stop it",
        )
    binary = shutil.which("redis-server")
    if binary is None:
        raise LabError(
            "redis-server is not installed", hint="apt-get install redis-server (make does)"
        )
    home = _home(port)
    log = open(home / "redis.log", "ab")  # noqa: SIM115 (the server keeps it)
    password = target.password()
    config = f"requirepass {password}\n" if password else ""
    process = subprocess.Popen(
        [
            binary,
            "-",  # the rest of the configuration comes on stdin: the password
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
            "--protected-mode",  # refuses other hosts when no password is set, whatever else
            "yes",
            "--daemonize",
            "no",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.PIPE,
        start_new_session=True,  # outlives this command, like `lab sim up`'s devices
    )
    with process.stdin:  # redis-server reads its configuration to the end, then starts
        process.stdin.write(config.encode())
    deadline = time.monotonic() + timeout
    while not running(target):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            tail = (home / "redis.log").read_text(errors="replace")[-600:]
            raise LabError(f"redis-server on {host}:{port} did not start:\n{tail}")
        time.sleep(0.05)
    (home / "server.json").write_text(json.dumps(process_identity(process.pid)))
    started = f"redis at {host}:{port} started (pid {process.pid}, data in {home})"
    if made:
        started += (
            f"; its password is in {target.password_file} (mode 600): copy that file to "
            "every host that runs `lab run` or `lab farm export` for this farm"
        )
    return started


def down(target: RedisTarget, timeout: float = 10.0) -> str:
    host, port = target.host, target.port
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
