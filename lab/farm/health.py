"""A device's health in the farm (LAVA's model), kept in the lease store beside its leases.

good: its last health check passed. unknown: not checked since it joined or was released.
bad: a check failed, or it was lost mid-test; it gets no tests until a check passes (the
harness checks it again now and then) or a person releases it. maintenance: a person took
it out (`lab farm quarantine`); retired: out for good. Neither is checked nor given tests
until `lab farm release` makes it unknown again.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Protocol


class Health(str, Enum):
    GOOD = "good"
    UNKNOWN = "unknown"
    BAD = "bad"
    MAINTENANCE = "maintenance"
    RETIRED = "retired"

    @property
    def held_by_a_person(self) -> bool:
        """Only `lab farm release` changes it; health checks do not."""
        return self in (Health.MAINTENANCE, Health.RETIRED)


@dataclass(frozen=True)
class HealthRecord:
    device_id: str
    state: Health = Health.UNKNOWN
    why: str = ""
    by: str = ""  # who or what set it: a holder name, a person's `lab farm` command
    at: float = field(default_factory=time.time)  # when the state was set
    checked_at: float = 0.0  # the last health check, whatever its result

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "state": self.state.value}

    @classmethod
    def from_json(cls, data: dict) -> HealthRecord:
        return cls(**{**data, "state": Health(data["state"])})


class HealthBook(Protocol):
    """Each device's health in a farm's books, with its history."""

    def health(self, device_id: str) -> HealthRecord: ...
    def set_health(self, record: HealthRecord) -> None: ...  # a person's, or a check's
    def health_history(self, device_id: str, limit: int = 20) -> list[HealthRecord]: ...
    def mark(
        self, device_id: str, state: Health, why: str, by: str, checked: bool = False
    ) -> HealthRecord: ...  # an automatic change: never overrides a person's maintenance


def transition(
    current: HealthRecord, state: Health, why: str, by: str, checked: bool = False
) -> HealthRecord | None:
    """The record after an automatic change (a check, a lost device), or None when the
    change is not allowed: a person's maintenance or retirement outranks any check."""
    if current.state.held_by_a_person:
        return None
    now = time.time()
    if current.state is state:  # same state: only the check time moves (no history line)
        return HealthRecord(current.device_id, state, current.why, current.by, current.at,
                            now if checked else current.checked_at)  # fmt: skip
    return HealthRecord(current.device_id, state, why, by, now, now if checked else 0.0)
