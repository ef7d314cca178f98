"""The wallet's configuration receiver (lab/sim/apps/config_receiver.py):

    am broadcast -a com.tos.wallet.action.CONFIGURE -n com.tos.wallet/.SandboxReceiver \\
        --es config /data/local/tmp/tos-pay.json"""

from __future__ import annotations

from pathlib import Path

from lab.sim.apps import config_receiver
from lab.sim.apps.wallet.service import WalletService

ACTION = "com.tos.wallet.action.CONFIGURE"


def receive(wallet: WalletService, root: Path, extras: dict[str, str]) -> tuple[int, str]:
    return config_receiver.receive(wallet.configure, root, extras)
