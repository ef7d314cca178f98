"""The payment sandbox's state beside what every service has (lab/services/box.py): the
wallet events' hub and the reply faults."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from lab.services.box import ServiceBox
from lab.services.payment.events import Hub


@dataclass
class Sandbox(ServiceBox):
    hub: Hub | None = None
    held: list = field(default_factory=list)  # reply faults (faults.py)


def sandbox(request: Request) -> Sandbox:
    return request.app.state.box
