"""Devices on other hosts: what `lab farm export` registered in the farm's store, joined to
an inventory. A registration lives while its exporter renews it; a host that goes away
takes its devices out of the next run (a run already going finds them lost)."""

from __future__ import annotations

from pydantic import ValidationError

from lab.errors import LabError
from lab.farm.leases import LeaseStore
from lab.inventory import Device, Inventory, Peripheral


def _validated(store: LeaseStore, field: str, model: type[Device] | type[Peripheral]) -> list:
    """What the registered hosts exported under `field` (devices, peripherals)."""
    found = []
    for host in store.hosts():
        for data in host.get(field, []):
            try:
                found.append(model.model_validate(data))
            except ValidationError as exc:
                raise LabError(
                    f"host {host.get('name')!r} registered a {field[:-1]} the inventory "
                    f"schema refuses: {exc.errors()[0]['msg']} ({data.get('id')})",
                    hint="update the lab on that host, then export again",
                ) from None
    return found


def with_exported(inventory: Inventory, store: LeaseStore) -> Inventory:
    """The inventory's own devices and peripherals, then those exported to the farm (an id
    the inventory has already is an error: two devices would answer to one name)."""
    devices = _validated(store, "devices", Device)
    parts = _validated(store, "peripherals", Peripheral)
    if not devices and not parts:
        return inventory
    own = {d.id for d in inventory.devices} | {p.id for p in inventory.peripherals}
    clash = sorted(own & {x.id for x in [*devices, *parts]})
    if clash:
        raise LabError(
            f"exported devices {', '.join(clash)} have the ids of devices in {inventory.path}",
            hint="rename them in the exporting host's inventory",
        )
    return inventory.model_copy(
        update={
            "devices": [*inventory.devices, *devices],
            "peripherals": [*inventory.peripherals, *parts],
        }
    )
