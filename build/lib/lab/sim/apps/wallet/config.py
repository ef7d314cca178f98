"""What the lab gives the wallet (through adb: a JSON file pushed and an intent naming it,
as one points a real test device at a sandbox), kept in the app's private storage so a
reboot keeps it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class CardConfig:
    token: str
    psn: str
    expiry: str
    icc_key: str
    display: str


@dataclass(frozen=True)
class WalletConfig:
    endpoint: str
    wallet: str
    account: str
    number: str
    api_key: str
    code_secret: str
    pin_limit: int
    card: CardConfig
    voice_payee: str = ""  # the merchant "pay N yuan" pays; voice payments are off without

    @classmethod
    def parse(cls, data: object) -> WalletConfig:
        """Checked field by field: a bad config is refused with what is wrong (never the
        secret values themselves)."""
        if not isinstance(data, dict):
            raise ConfigError("the config is not a JSON object")
        fields = {
            "endpoint": str, "wallet": str, "account": str, "number": str,
            "api_key": str, "code_secret": str, "pin_limit": int, "card": dict,
        }  # fmt: skip
        for name, kind in fields.items():
            if not isinstance(data.get(name), kind):
                raise ConfigError(f"config field {name!r}: expected {kind.__name__}")
        if not data["endpoint"].startswith(("http://", "https://")):
            raise ConfigError("config field 'endpoint': expected an http(s) URL")
        if not (len(data["number"]) == 8 and data["number"].isdigit()):
            raise ConfigError("config field 'number': expected 8 digits")
        if not isinstance(data.get("voice_payee", ""), str):
            raise ConfigError("config field 'voice_payee': expected str (a merchant id)")
        card = data["card"]
        for name in ("token", "psn", "expiry", "icc_key", "display"):
            if not isinstance(card.get(name), str):
                raise ConfigError(f"config field 'card.{name}': expected str")
        try:
            if len(bytes.fromhex(card["icc_key"])) != 16:
                raise ValueError
        except ValueError:
            raise ConfigError("config field 'card.icc_key': expected 32 hex digits") from None
        return cls(
            **{
                **{k: data[k] for k in fields if k != "card"},
                "card": CardConfig(
                    **{k: card[k] for k in ("token", "psn", "expiry", "icc_key", "display")}
                ),
                "voice_payee": data.get("voice_payee", ""),
            }
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self)))
        path.chmod(0o600)

    @classmethod
    def load(cls, path: Path) -> WalletConfig | None:
        try:
            return cls.parse(json.loads(path.read_text()))
        except (OSError, ValueError):
            return None
