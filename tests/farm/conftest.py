"""A real Redis for the farm's books (started by `lab farm up`), and a pool of four
identical watches beside the test farm, with file or Redis leases."""

from __future__ import annotations

import pytest

from tests.virtual_farm import REDIS_PORT, Farm


@pytest.fixture(scope="session")
def redis_url(home: Farm):
    """A real redis-server for the session (`lab farm up`; stopped at the end), TTL 4 s."""
    shared = home.with_store(f"redis://127.0.0.1:{REDIS_PORT}/0?ttl=4", "redis-farm")
    shared.lab("farm", "up", "--inventory", str(shared.inventory))
    yield f"redis://127.0.0.1:{REDIS_PORT}/0?ttl=4"
    shared.lab("farm", "down", "--inventory", str(shared.inventory), check=False)


@pytest.fixture(scope="session")
def pool(farm: Farm):
    """Four TOS Watch W1 on their own inventory (file leases), up for the session."""
    from tests.farm.pool import IDS, pool_inventory

    folder = farm.inventory.parent / "pool"
    folder.mkdir(exist_ok=True)
    shared = Farm(pool_inventory(folder, "file:leases"), farm.env)
    only = [a for i in IDS for a in ("--only", i)]
    shared.lab("sim", "up", "--inventory", str(shared.inventory), "--boot-seconds", "0.5", *only)
    yield shared
    shared.lab("sim", "down", "--inventory", str(shared.inventory), check=False)


@pytest.fixture(scope="session")
def redis_pool(pool: Farm, redis_url: str):
    """The same four watches with their books in Redis (db 1 of the session's server)."""
    return pool.with_store(redis_url.replace("/0?", "/1?"), "redis-pool")
