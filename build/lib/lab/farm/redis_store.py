"""The lease store for several controllers: a real Redis server (`lab farm up` starts
Debian's redis-server), shared by every `lab run` on every host.

A lease is a key with a TTL (`?ttl=SECONDS` in the URL, default 15; the URL's options are
in lab.farm.redis_target) that the holder's heartbeat renews (lab.farm.keeper); a
controller that dies stops renewing and its leases expire within the TTL. Acquire, renew
and release are Lua scripts, so each is atomic on the server: the fencing token comes from
a counter per device that only grows, and renew and release act only while the caller's
token is still the device's current one. The log is a Redis list, in the server's order,
and time is the server's clock (hosts' clocks may differ). What holds when Redis restarts:
docs/FARM.md.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import replace
from pathlib import Path

import redis

from lab.errors import LabError
from lab.farm.health import Health, HealthRecord, transition
from lab.farm.leases import Lease, LeaseTimeout
from lab.farm.redis_target import parse

PREFIX = "tos-lab:"
LOG_LIMIT = 100_000  # lease events kept

# KEYS: lease, token counter, last lease, log. ARGV: device, holder, pid, ttl ms, log limit,
# purpose.
_ACQUIRE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local last = redis.call('GET', KEYS[3])
if last then  -- its holder never released it: the TTL ran out
  local old = cjson.decode(last)
  redis.call('RPUSH', KEYS[4], cjson.encode({t=now, event='expire', device=ARGV[1],
    holder=old.holder, token=old.token}))
end
local token = redis.call('INCR', KEYS[2])
local lease = cjson.encode({device_id=ARGV[1], holder=ARGV[2], pid=tonumber(ARGV[3]),
  since=now, token=token, purpose=ARGV[6]})
redis.call('SET', KEYS[1], lease, 'PX', ARGV[4])
redis.call('SET', KEYS[3], lease)
redis.call('RPUSH', KEYS[4], cjson.encode({t=now, event='acquire', device=ARGV[1],
  holder=ARGV[2], token=token}))
redis.call('LTRIM', KEYS[4], -tonumber(ARGV[5]), -1)
return token
"""
# KEYS: lease. ARGV: token, ttl ms.
_RENEW = """
local lease = redis.call('GET', KEYS[1])
if not lease or cjson.decode(lease).token ~= tonumber(ARGV[1]) then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
"""
# KEYS: lease, last lease, log. ARGV: device, holder, token.
_RELEASE = """
local lease = redis.call('GET', KEYS[1])
if not lease or cjson.decode(lease).token ~= tonumber(ARGV[3]) then return 0 end
local t = redis.call('TIME')
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('RPUSH', KEYS[3], cjson.encode({t=tonumber(t[1]) + tonumber(t[2]) / 1e6,
  event='release', device=ARGV[1], holder=ARGV[2], token=tonumber(ARGV[3])}))
return 1
"""


class RedisLeaseStore:
    def __init__(self, url: str, timeout: float = 3.0, root: Path | None = None) -> None:
        """`root`: where a relative password file is (the inventory's folder)."""
        target = parse(url, root)
        self.ttl: float | None = target.ttl
        self.url = target.url  # what messages show: never the password
        self._password_file = target.password_file
        self.client = redis.Redis.from_url(
            target.url,
            password=target.password(),
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            decode_responses=True,
        )
        self._acquire = self.client.register_script(_ACQUIRE)
        self._renew = self.client.register_script(_RENEW)
        self._release = self.client.register_script(_RELEASE)

    def _call(self, what: str, action):
        try:
            return action()
        except redis.AuthenticationError:
            file = self._password_file
            why = f"the password in {file} is not the server's" if file else "it wants a password"
            raise LabError(
                f"lease store {self.url}: {what}: refused: {why}",
                hint="name the farm's password file in the URL (?password_file=PATH): a copy "
                "of the one `lab farm up` made",
            ) from None
        except redis.RedisError as exc:
            raise LabError(
                f"lease store {self.url}: {what}: {exc}",
                hint="is its redis-server up? `lab farm up` starts it",
            ) from None

    # -- leases
    def acquire(self, device_id: str, holder: str, timeout: float, purpose: str = "") -> Lease:
        deadline = time.monotonic() + timeout
        keys = [_key("lease", device_id), _key("token", device_id), _key("last", device_id),
                _key("log")]  # fmt: skip
        args = [device_id, holder, os.getpid(), int(self.ttl * 1000), LOG_LIMIT, purpose]
        while True:
            asked = time.monotonic()  # its TTL runs from a moment after this
            token = self._call("acquire", lambda: self._acquire(keys=keys, args=args))
            if token:
                lease = self.holder(device_id)
                if lease is None or lease.token != token:
                    continue  # expired already (a paused process): try again
                return replace(lease, granted=asked)
            if time.monotonic() >= deadline:
                current = self.holder(device_id)
                who = f"{current.holder} since {time.ctime(current.since)}" if current else "?"
                raise LeaseTimeout(
                    f"{device_id}: no lease within {timeout:g} s (held by {who})",
                    hint="wait for that run to end (or its lease to expire), or raise "
                    "--lease-timeout",
                )
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))

    def release(self, lease: Lease) -> None:
        keys = [_key("lease", lease.device_id), _key("last", lease.device_id), _key("log")]
        args = [lease.device_id, lease.holder, lease.token]
        self._call("release", lambda: self._release(keys=keys, args=args))

    def renew(self, lease: Lease) -> bool:
        args = [lease.token, int(self.ttl * 1000)]
        keys = [_key("lease", lease.device_id)]
        return bool(self._call("renew", lambda: self._renew(keys=keys, args=args)))

    def holder(self, device_id: str) -> Lease | None:
        text = self._call("read a lease", lambda: self.client.get(_key("lease", device_id)))
        return Lease(**json.loads(text)) if text else None

    def events(self) -> list[dict]:
        lines = self._call("read the log", lambda: self.client.lrange(_key("log"), 0, -1))
        return [json.loads(line) for line in lines]

    # -- runs: one hash, a field per run (a day of them is plenty for a dashboard)
    def publish_run(self, run: dict) -> None:
        self._call("publish a run", lambda: self.client.hset(_key("runs"), run["id"],
                                                             json.dumps(run)))  # fmt: skip

    def runs(self, limit: int = 10) -> list[dict]:
        found = [json.loads(v) for v in self._call(
            "read runs", lambda: self.client.hvals(_key("runs")))]  # fmt: skip
        found.sort(key=lambda r: r.get("started", 0), reverse=True)
        stale = [r["id"] for r in found if r.get("started", 0) < time.time() - 86400]
        if stale:
            self._call("drop old runs", lambda: self.client.hdel(_key("runs"), *stale))
        return found[:limit]

    # -- exported hosts: a key each, alive while `lab farm export` renews it
    def register_host(self, host: dict, ttl: float) -> None:
        self._call("register a host", lambda: self.client.set(
            _key("host", host["name"]), json.dumps(host), px=int(ttl * 1000)))  # fmt: skip

    def unregister_host(self, name: str) -> None:
        self._call("unregister a host", lambda: self.client.delete(_key("host", name)))

    def hosts(self) -> list[dict]:
        def read() -> list[dict]:
            keys = sorted(self.client.scan_iter(match=_key("host", "*"), count=100))
            values = self.client.mget(keys) if keys else []
            return [_host(key, value) for key, value in zip(keys, values, strict=True) if value]

        return self._call("read hosts", read)

    # -- health
    def health(self, device_id: str) -> HealthRecord:
        text = self._call("read health", lambda: self.client.get(_key("health", device_id)))
        return HealthRecord.from_json(json.loads(text)) if text else HealthRecord(device_id, at=0)

    def set_health(self, record: HealthRecord) -> None:
        text = json.dumps(record.as_json())

        def write() -> None:
            with self.client.pipeline() as pipe:  # MULTI/EXEC: the record and its history
                pipe.set(_key("health", record.device_id), text)
                pipe.rpush(_key("health-log", record.device_id), text)
                pipe.ltrim(_key("health-log", record.device_id), -200, -1)
                pipe.execute()

        self._call("write health", write)

    def mark(
        self, device_id: str, state: Health, why: str, by: str, checked: bool = False
    ) -> HealthRecord:
        key = _key("health", device_id)

        def change(pipe: redis.client.Pipeline) -> HealthRecord:
            text = pipe.get(key)
            current = HealthRecord.from_json(json.loads(text)) if text else HealthRecord(
                device_id, at=0)  # fmt: skip
            after = transition(current, state, why, by, checked)
            if after is None:
                return current
            pipe.multi()  # WATCH/MULTI: a person's quarantine in between makes this retry
            pipe.set(key, json.dumps(after.as_json()))
            if after.state is not current.state:
                pipe.rpush(_key("health-log", device_id), json.dumps(after.as_json()))
            return after

        return self._call(
            "mark health", lambda: self.client.transaction(change, key, value_from_callable=True)
        )

    def health_history(self, device_id: str, limit: int = 20) -> list[HealthRecord]:
        lines = self._call(
            "read health history",
            lambda: self.client.lrange(_key("health-log", device_id), -limit, -1),
        )
        return [HealthRecord.from_json(json.loads(line)) for line in lines]


def _host(key: bytes | str, value: bytes | str) -> dict:
    """A host's registration, or what says it could not be read (remote.py reports it)."""
    name = (key.decode() if isinstance(key, bytes) else key).rsplit(":", 1)[-1]
    try:
        host = json.loads(value)
    except ValueError:
        return {"name": name, "unreadable": "not JSON"}
    return host if isinstance(host, dict) else {"name": name, "unreadable": "not an object"}


def _key(*parts: str) -> str:
    return PREFIX + ":".join(parts)
