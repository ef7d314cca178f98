"""The wallet's link to the payment sandbox (lab/sim/apps/cloud_link.py)."""

from __future__ import annotations

from collections.abc import Callable

from lab.sim.apps.cloud_link import CloudLink, Offline, Refused
from lab.sim.apps.wallet.config import WalletConfig

__all__ = ["Offline", "Refused", "SandboxLink"]


class SandboxLink(CloudLink):
    def __init__(self, config: WalletConfig, online: Callable[[], bool], timeout: float = 8.0):
        super().__init__(config.endpoint, config.api_key, online, timeout)
