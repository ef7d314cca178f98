"""What a Redis lease store URL may say, and the clear errors for what it may not: the
password lives in a file, never in the URL or a message."""

from __future__ import annotations

import os

import pytest

from lab.errors import LabError
from lab.farm.redis_target import parse
from lab.redaction import SECRETS


def test_the_url_names_server_ttl_and_password_file(tmp_path):
    target = parse("redis://10.0.0.5:6390/2?ttl=8&password_file=redis.pass", tmp_path)
    assert (target.host, target.port, target.ttl) == ("10.0.0.5", 6390, 8.0)
    assert target.url == "redis://10.0.0.5:6390/2"  # what messages show
    assert target.password_file == tmp_path / "redis.pass"
    assert parse("redis://h/0").port == 6379 and parse("redis://h/0").password() is None


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("redis://h:6379/0?ttl=soon", "ttl must be a number"),
        ("redis://h:6379/0?ttl=0.5", "ttl must be 1..3600 s"),
        ("redis://h:6379/0?tll=5", "unknown option tll"),
        ("redis://h:port/0", "the port must be a number"),
        ("redis://:hunter2-secret@h:6379/0", "a password inside the URL"),
    ],
)
def test_a_url_it_cannot_take_says_why(url, said):
    with pytest.raises(LabError, match=said) as caught:
        parse(url)
    assert "hunter2-secret" not in str(caught.value)


def test_the_password_file_is_made_private_and_its_password_kept_secret(tmp_path):
    target = parse("redis://h:6379/0?password_file=sub/redis.pass", tmp_path)
    assert target.create_password_file() and not target.create_password_file()
    assert os.stat(tmp_path / "sub" / "redis.pass").st_mode & 0o777 == 0o600
    password = target.password()
    assert len(password) >= 32 and SECRETS.redact(f"auth {password}") == "auth [redis password]"


@pytest.mark.parametrize(
    ("text", "said"),
    [("short", "under 16 characters"), ("with a space in it too", "spaces, quotes")],
)
def test_a_password_file_it_cannot_use_says_why(tmp_path, text, said):
    (tmp_path / "redis.pass").write_text(text)
    os.chmod(tmp_path / "redis.pass", 0o600)
    with pytest.raises(LabError, match=said) as caught:
        parse("redis://h:6379/0?password_file=redis.pass", tmp_path).password()
    assert text not in str(caught.value) and "redis.pass" in str(caught.value)
