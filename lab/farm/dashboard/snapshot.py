"""What the dashboard shows, read from the farm's books: each device with its health,
lease holder and test, and the latest runs with their progress."""

from __future__ import annotations

from lab.farm.books import Books
from lab.farm.remote import join_exported
from lab.inventory import Inventory


def farm_snapshot(inventory: Inventory, store: Books, thumbs: dict[str, float]) -> dict:
    devices = []
    joined = join_exported(inventory, store)
    for device in joined.inventory.devices:
        health, lease = store.health(device.id), store.holder(device.id)
        devices.append({
            "id": device.id,
            "class": device.device_class,
            "model": device.model,
            "virtual": device.virtual,
            "host": device.location.host if device.location and device.location.host else "",
            "health": health.state.value,
            "why": health.why,
            "health_since": health.at,
            "holder": lease.holder if lease else None,
            "test": lease.purpose if lease else None,
            "leased_since": lease.since if lease else None,
            "thumbnail": thumbs.get(device.id),  # when the last one was taken
        })  # fmt: skip
    return {"store": inventory.farm.lease_store, "devices": devices, "runs": store.runs(8),
            "skipped": joined.skipped}  # fmt: skip
