"""Devices on other hosts: what `lab farm export` registered in the farm's store, joined to
an inventory. A registration lives while its exporter renews it; a host that goes away
takes its devices out of the next run (a run already going finds them lost).

One bad registration never stops the farm: a host whose entry is unreadable, a device or
reader the inventory schema refuses (a host running an older lab), or an id that is taken
already (by the inventory's own devices, or by another host) is skipped, and said why;
the rest joins. Otherwise `lab run`, the dashboard and `lab farm health` would all fail,
and the farm could not even be repaired from the CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import ValidationError

from lab.farm.books import HostsBook
from lab.inventory import Device, Inventory, Peripheral


@dataclass
class Joined:
    inventory: Inventory
    skipped: list[str] = field(default_factory=list)  # what was left out, and why


def _host_name(host: object) -> str:
    return str(host.get("name", "?")) if isinstance(host, dict) else "?"


def join_exported(inventory: Inventory, store: HostsBook) -> Joined:
    """The inventory's own devices and peripherals, then those exported to the farm; what
    could not join is in `skipped`."""
    taken = {d.id for d in inventory.devices} | {p.id for p in inventory.peripherals}
    devices: list[Device] = []
    parts: list[Peripheral] = []
    skipped: list[str] = []
    for host in store.hosts():
        name = _host_name(host)
        if not isinstance(host, dict) or host.get("unreadable"):
            why = host.get("unreadable") if isinstance(host, dict) else "not an object"
            skipped.append(f"host {name!r}: its registration is unreadable ({why})")
            continue
        for key, model, into in (("devices", Device, devices), ("peripherals", Peripheral, parts)):
            entries = host.get(key, [])
            if not isinstance(entries, list):
                skipped.append(f"host {name!r}: its {key} are not a list")
                continue
            for data in entries:
                thing = f"host {name!r}: {key[:-1]} {_id(data)!r}"
                try:
                    found = model.model_validate(data)
                except ValidationError as exc:
                    first = exc.errors()[0]
                    where = ".".join(str(p) for p in first.get("loc", ()))
                    skipped.append(
                        f"{thing}: the inventory schema refuses it ({where}: {first['msg']}); "
                        "update the lab on that host, then export again"
                    )
                    continue
                if found.id in taken:
                    skipped.append(
                        f"{thing}: the id is taken already (by this inventory or another "
                        "host); rename it in that host's inventory"
                    )
                    continue
                taken.add(found.id)
                into.append(found)
    if not devices and not parts:
        return Joined(inventory, skipped)
    joined = inventory.model_copy(
        update={
            "devices": [*inventory.devices, *devices],
            "peripherals": [*inventory.peripherals, *parts],
        }
    )
    return Joined(joined, skipped)


def _id(data: object) -> str:
    return str(data.get("id", "?")) if isinstance(data, dict) else "?"


def with_exported(
    inventory: Inventory, store: HostsBook, said: Callable[[str], None] | None = None
) -> Inventory:
    """The joined inventory; `said` hears each registration that was skipped, and why."""
    joined = join_exported(inventory, store)
    for line in joined.skipped:
        if said is not None:
            said(line)
    return joined.inventory
