"""The TOS+ Store from outside: the lab provisions developers, accounts and devices with
its admin key; a developer uploads APKs; a device (or a test acting as one) browses, buys,
downloads and refunds. Keys are registered for redaction when handed out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lab.cloud.http import Client
from lab.cloud.payment import admin_key
from lab.errors import LabError
from lab.inventory import Inventory
from lab.redaction import register

APK_TYPE = "application/vnd.android.package-archive"


@dataclass(frozen=True)
class DeviceAccess:
    """What the lab gives a device's store app (pushed over adb, see lab.store)."""

    id: str
    account: str
    api_key: str = field(repr=False)
    url: str = ""

    def client(self) -> StoreDevice:
        return StoreDevice(self.url, self.api_key)


class StoreDevice:
    """A device's calls, for tests that act as a device's store app."""

    def __init__(self, url: str, key: str) -> None:
        self.api = Client(url, key, timeout=30)

    def catalog(self, q: str = "") -> list[dict]:
        return self.api.get("/v1/catalog", q=q)["data"]

    def app(self, package: str) -> dict:
        return self.api.get(f"/v1/apps/{package}")

    def buy(self, package: str, key: str | None = None) -> dict:
        return self.api.post("/v1/purchases", {"package": package}, key=key)

    def complete(self, purchase_id: str) -> dict:
        return self.api.post(f"/v1/purchases/{purchase_id}/complete")

    def refund(self, purchase_id: str) -> dict:
        return self.api.post(f"/v1/purchases/{purchase_id}/refund")

    def entitlements(self) -> list[str]:
        return [e["package"] for e in self.api.get("/v1/entitlements")["data"]]

    def download(self, package: str, version_code: int, timeout: float = 120.0) -> bytes:
        path = f"/v1/apps/{package}/apk"
        return self.api.get_bytes(path, timeout=timeout, version_code=version_code)


class Developer:
    def __init__(self, url: str, developer_id: str, key: str) -> None:
        self.id = developer_id
        self.api = Client(url, key, timeout=120)

    def create_app(self, package: str, title: str, price: int = 0, description: str = "") -> dict:
        body = {"package": package, "title": title, "price": price, "description": description}
        return self.api.post("/v1/developer/apps", body)

    def upload(self, package: str, apk: Path | bytes) -> dict:
        data = apk if isinstance(apk, bytes) else Path(apk).read_bytes()
        return self.api.upload(f"/v1/developer/apps/{package}/versions", data, APK_TYPE)

    def apps(self) -> list[dict]:
        return self.api.get("/v1/developer/apps")["data"]

    def statement(self, month: str) -> dict:
        return self.api.get(f"/v1/developer/statements/{month}")

    def statement_csv(self, month: str) -> str:
        return self.api.get_bytes(f"/v1/developer/statements/{month}", format="csv").decode()


class Store:
    """The lab's view: developers, accounts, devices, the revenue audit."""

    def __init__(self, url: str, key: str | None = None) -> None:
        self.url = url.rstrip("/")
        key = key or admin_key("store")
        register(key, "lab admin key")
        self.admin = Client(self.url, key)

    @classmethod
    def of(cls, inventory: Inventory) -> Store:
        service = inventory.farm.services.store
        if service is None:
            raise LabError(
                f"no store in {inventory.path} (farm.services.store)",
                hint="declare it: `services: {store: {url: http://127.0.0.1:8760}}`",
            )
        return cls(service.url)

    def developer(self, name: str) -> Developer:
        made = self.admin.post("/v1/admin/developers", {"name": name})
        register(made["api_key"], "developer key")
        return Developer(self.url, made["id"], made["api_key"])

    def account(self, name: str) -> str:
        return self.admin.post("/v1/admin/accounts", {"name": name})["id"]

    def device(
        self, device_id: str, account: str, device_class: str, features: list[str], sdk: int
    ) -> DeviceAccess:
        body = {"id": device_id, "account": account, "device_class": device_class,
                "features": sorted(features), "sdk": sdk}  # fmt: skip
        made = self.admin.post("/v1/admin/devices", body)
        register(made["api_key"], "store device key")
        return DeviceAccess(made["id"], made["account"], made["api_key"], self.url)

    def audit(self) -> dict:
        return self.admin.get("/v1/admin/audit")

    def statement(self, developer_id: str, month: str) -> dict:
        return self.admin.get(f"/v1/developer/statements/{month}", developer=developer_id)

    def throttle_downloads(self, bytes_per_second: int, device: str = "*") -> None:
        """A slow network between a device (or every one) and the store; 0: full speed."""
        body = {"download_bytes_per_second": bytes_per_second, "device": device}
        self.admin.post("/v1/admin/faults", body)

    def purchase(self, purchase_id: str) -> dict:
        return self.admin.get(f"/v1/purchases/{purchase_id}")
