"""Selling the TV game's paid level through the payment sandbox: the lab gives the game a
shop's merchant key and a price (a pushed JSON file, never a command line: it is a key)."""

from __future__ import annotations

from lab.cloud.payment import Merchant
from lab.device.app_config import push_config
from lab.device.dut import Dut
from lab.errors import LabError

ACTION = "com.tos.arcade.action.CONFIGURE"
RECEIVER = "com.tos.arcade/.ShopReceiver"
REMOTE = "/data/local/tmp/tos-arcade-shop.json"


def sell_pro(screen: Dut, merchant: Merchant, url: str, price: int) -> None:
    settings = {"endpoint": url, "api_key": merchant.key, "price": price}
    accepted, said = push_config(screen, ACTION, RECEIVER, REMOTE, settings)
    if not accepted:
        raise LabError(f"{screen.id}: the game did not take its shop ({said})",
                       hint="is TOS+ Arcade (com.tos.arcade) on this device?")  # fmt: skip
