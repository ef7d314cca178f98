"""What the lab gives the store app (a pushed JSON file named in a broadcast, see
lab/sim/apps/config_receiver.py), kept in its private storage so a reboot keeps it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class StoreConfig:
    endpoint: str
    device: str
    api_key: str

    @classmethod
    def parse(cls, data: object) -> StoreConfig:
        if not isinstance(data, dict):
            raise ConfigError("the config is not a JSON object")
        for name in ("endpoint", "device", "api_key"):
            if not isinstance(data.get(name), str) or not data[name]:
                raise ConfigError(f"config field {name!r}: expected a non-empty string")
        if not data["endpoint"].startswith(("http://", "https://")):
            raise ConfigError("config field 'endpoint': expected an http(s) URL")
        return cls(data["endpoint"], data["device"], data["api_key"])

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self)))
        path.chmod(0o600)

    @classmethod
    def load(cls, path: Path) -> StoreConfig | None:
        try:
            return cls.parse(json.loads(path.read_text()))
        except (OSError, ValueError):
            return None
