"""A farm's Redis with a password: `lab farm up` makes the password file (mode 600) and
starts the server wanting it, without the password among any process's arguments; the lab
with the file works, a client without it is refused with a clear error, and no message
ever shows the password."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import redis

from tests.virtual_farm import BASE, Farm

PORT = BASE + 37
URL = f"redis://127.0.0.1:{PORT}/0?ttl=4"


def _in_any_command_line(text: str) -> bool:
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                return True
        except OSError:
            continue  # the process ended meanwhile
    return False


def _refused(farm: Farm, why: str, *secrets: str) -> str:
    done = farm.lab("farm", "health", "--inventory", str(farm.inventory), check=False)
    assert done.returncode == 2, done.stdout + done.stderr
    assert why in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not any(secret in done.stdout + done.stderr for secret in secrets), done.stderr
    return done.stderr


def test_a_redis_with_a_password(home: Farm):
    farm = home.with_store(f"{URL}&password_file=redis.pass", "redis-secret")
    password_file = farm.inventory.parent / "redis.pass"
    started = farm.lab("farm", "up", "--inventory", str(farm.inventory))
    try:
        password = password_file.read_text().strip()
        assert os.stat(password_file).st_mode & 0o777 == 0o600 and len(password) >= 32
        said = " ".join(started.stdout.split())  # as rich wrapped it
        assert "copy that file to every host" in said and password not in said
        assert not _in_any_command_line(password)  # redis-server read it on its stdin

        with pytest.raises(redis.AuthenticationError):
            redis.Redis(port=PORT, socket_timeout=3).ping()
        assert redis.Redis(port=PORT, password=password, socket_timeout=3).ping()

        health = farm.lab("farm", "health", "--inventory", str(farm.inventory), "--json")
        assert health.returncode == 0 and password not in health.stdout
        again = farm.lab("farm", "up", "--inventory", str(farm.inventory))
        assert "already up" in again.stdout

        without = home.with_store(URL, "redis-no-password")
        _refused(without, "password", password)
        wrong = home.with_store(f"{URL}&password_file=wrong.pass", "redis-wrong-password")
        (wrong.inventory.parent / "wrong.pass").write_text("W" * 40)
        os.chmod(wrong.inventory.parent / "wrong.pass", 0o600)
        _refused(wrong, "refused", password, "W" * 40)
        os.chmod(password_file, 0o644)
        assert "chmod 600" in _refused(farm, "open to its group or others", password)
        os.chmod(password_file, 0o600)
        in_url = home.with_store(f"redis://:{password}@127.0.0.1:{PORT}/0", "redis-in-url")
        assert "password_file" in _refused(in_url, "inside the URL", password)
    finally:
        farm.lab("farm", "down", "--inventory", str(farm.inventory), check=False)
