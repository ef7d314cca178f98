"""The device inventory: which devices a farm has, how to reach them, what they can do."""

from lab.inventory.capabilities import CAPABILITIES, DEVICE_CLASSES
from lab.inventory.loader import DEFAULT_INVENTORY, InventoryError, load_inventory
from lab.inventory.schema import (
    Device,
    Display,
    Farm,
    Inventory,
    Peripheral,
    is_loopback,
    parse_host_port,
)

__all__ = [
    "CAPABILITIES",
    "DEFAULT_INVENTORY",
    "DEVICE_CLASSES",
    "Device",
    "Display",
    "Farm",
    "Inventory",
    "InventoryError",
    "Peripheral",
    "is_loopback",
    "load_inventory",
    "parse_host_port",
]
