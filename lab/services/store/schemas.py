"""Request bodies: strict types, unknown fields refused (they are typos)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from lab.protocols.device_classes import NAMES
from lab.services.store.models import MAX_PRICE

Name = Annotated[str, Field(min_length=1, max_length=64)]
Package = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$",
        max_length=128,
        description="a Java-style package name: com.example.app",
    ),
]
Feature = Annotated[str, Field(min_length=3, max_length=96, pattern=r"^[A-Za-z0-9_.]+$")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class DeveloperIn(_Body):
    name: Name


class AccountIn(_Body):
    name: Name


class DeviceIn(_Body):
    id: Annotated[str, Field(min_length=1, max_length=64)]
    account: Annotated[str, Field(min_length=1, max_length=32)]
    device_class: Literal[NAMES]  # type: ignore[valid-type]
    features: Annotated[list[Feature], Field(max_length=200)]
    sdk: Annotated[int, Field(ge=1, le=99)]


class AppIn(_Body):
    package: Package
    title: Name
    description: Annotated[str, Field(max_length=512)] = ""
    price: Annotated[int, Field(ge=0, le=MAX_PRICE, description="fen; 0 is free")] = 0


class PurchaseIn(_Body):
    package: Package


class FaultIn(_Body):
    download_bytes_per_second: Annotated[int, Field(ge=0, le=1 << 34)]
    device: Annotated[str, Field(min_length=1, max_length=64)] = "*"  # tests share a store
