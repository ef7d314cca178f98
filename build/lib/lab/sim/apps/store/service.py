"""The store app's work beside its screens: the catalogue, an app's details, purchases
paid in the wallet, and downloads that survive a reboot.

A download goes to the app's private storage as `<package>-<code>.part` beside a record of
what it should be (size, SHA-256). After a reboot the app resumes it with an HTTP Range
request; a finished file is checked against its digest before the package manager sees
it, so a reboot at any point ends with the app installed whole or not at all."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from lab.sim.apps.cloud_link import CloudLink, Offline, Refused
from lab.sim.apps.store.config import StoreConfig

PACKAGE = "com.tos.store"
TAG = "TosStore"
CHUNK = 64 << 10
PAY_WAIT = 180.0  # seconds the store waits for the wallet to pay an order
OFFLINE_WAIT = 60.0  # seconds a download waits for the network to come back


class Windows(Protocol):
    def start(self, package: str, activity: str | None = None) -> bool: ...
    def refresh(self) -> None: ...
    def show_toast(self, text: str, seconds: float = ...) -> None: ...


class Host(Protocol):
    """What the store app reaches on its device."""

    windows: Windows
    wallet: object | None  # the TOS+ wallet, when the device has one (open_order)

    def log(self, priority: str, tag: str, message: str, pid: int = ...) -> None: ...
    def online(self) -> bool: ...
    def installed_version(self, package: str) -> int | None: ...
    def install_apk(self, data: bytes) -> str | None: ...
    def uninstall_package(self, package: str) -> bool: ...


@dataclass
class Job:
    """What the store is doing for one app, shown on its details screen."""

    state: str  # paying | downloading | offline | installing | failed
    percent: int = 0
    message: str = ""


class StoreService:
    def __init__(self, host: Host, folder: Path) -> None:
        self.host = host
        self.folder = folder
        self.downloads = folder / "downloads"
        self.config: StoreConfig | None = StoreConfig.load(folder / "config.json")
        self.query = ""
        self.catalog: list[dict] | None = None
        self.details: dict | None = None
        self.message = ""  # the last problem, shown on the store's screens
        self.jobs: dict[str, Job] = {}
        self._lock = threading.RLock()
        self._generation = 0
        self._link: CloudLink | None = None

    # -- life cycle: the app's process lives from boot to shutdown
    def start(self) -> None:
        with self._lock:
            self._generation += 1
            self._connect()
            generation = self._generation
        for meta in sorted(self.downloads.glob("*.json")):  # interrupted downloads resume
            try:
                record = json.loads(meta.read_text())
            except (OSError, ValueError):
                meta.unlink(missing_ok=True)
                continue
            self._log("I", f"resuming the download of {record['package']}")
            self._background(self._fetch_and_install, record, generation)

    def stop(self) -> None:
        with self._lock:
            self._generation += 1
            self.jobs.clear()
            if self._link:
                self._link.close()
                self._link = None

    def _live(self, generation: int) -> bool:
        return generation == self._generation

    def configure(self, data: object) -> str:
        config = StoreConfig.parse(data)
        with self._lock:
            config.save(self.folder / "config.json")
            self.config, self.catalog, self.details = config, None, None
            if self._link:
                self._link.close()
            self._connect()
        self._log("I", f"store configured for {config.device}")
        return config.device

    def _connect(self) -> None:
        if self.config:
            self._link = CloudLink(self.config.endpoint, self.config.api_key, self.host.online, 15)

    # -- browsing
    def load_catalog(self, query: str | None = None) -> None:
        if query is not None:
            self.query = query
        self.catalog, self.message = None, ""

        def load() -> None:
            found = self._ask(lambda link: link.get("/v1/catalog", q=self.query))
            self.catalog = found["data"] if found else []
            self.host.windows.refresh()

        self._background(load)

    def open_details(self, package: str) -> None:
        self.details, self.message = {"package": package, "loading": True}, ""
        self.host.windows.start(PACKAGE, ".Details")
        self._background(self._load_details, package)

    def _load_details(self, package: str) -> None:
        found = self._ask(lambda link: link.get(f"/v1/apps/{package}"))
        with self._lock:
            if self.details and self.details.get("package") == package:
                self.details = found or {"package": package, "missing": True}
        self.host.windows.refresh()

    # -- buying: an order the wallet pays, then the store grants the app
    def buy(self, package: str) -> None:
        if self.host.wallet is None:
            self.message = "no_wallet"
            self.host.windows.refresh()
            return
        self._job(package, Job("paying"))
        self._background(self._buy, package, self._generation)

    def _buy(self, package: str, generation: int) -> None:
        key = str(uuid.uuid4())
        purchase = self._ask(lambda link: link.post("/v1/purchases", {"package": package}, key))
        if purchase is None:
            return self._fail(package, self.message)
        try:
            self.host.wallet.open_order(purchase["order"])  # type: ignore[union-attr]
        except (Offline, Refused) as exc:
            return self._fail(package, f"wallet: {exc}")
        deadline = time.monotonic() + PAY_WAIT
        while self._live(generation) and time.monotonic() < deadline:
            time.sleep(0.5)
            link = self._link
            if link is None:
                return
            try:
                done = link.post(
                    f"/v1/purchases/{purchase['id']}/complete", None, str(uuid.uuid4())
                )
            except Offline:
                continue
            except Refused as exc:
                if exc.code == "payment_not_completed":
                    continue
                return self._fail(package, exc.message or exc.code)
            if done.get("status") == "paid":
                self._log("I", f"bought {package}")
                self.host.windows.show_toast(self._text("purchased"))
                self._refresh_details(package)
                return self.install(package)
        self._fail(package, "payment not completed")

    def refund(self, package: str) -> None:
        self._background(self._refund, package)

    def _refund(self, package: str) -> None:
        owned = self._ask(lambda link: link.get("/v1/entitlements"))
        purchase = next(
            (e["purchase"] for e in (owned or {}).get("data", []) if e["package"] == package), None
        )
        if purchase is None:
            return self._fail(package, "not bought with this account")
        key = str(uuid.uuid4())
        if self._ask(lambda link: link.post(f"/v1/purchases/{purchase}/refund", None, key)) is None:
            return self._fail(package, self.message)
        if self.host.installed_version(package) is not None:  # a refunded app is removed
            self.host.uninstall_package(package)
        self._log("I", f"refunded {package}")
        self.host.windows.show_toast(self._text("refunded"))
        self._refresh_details(package)

    # -- installing: download (resumable), check, hand to the package manager
    def install(self, package: str) -> None:
        details = self.details if self.details and self.details.get("package") == package else None
        if details is None or not details.get("version_code"):
            return
        record = {
            "package": package,
            "version_code": details["version_code"],
            "sha256": details["sha256"],
            "size": details["size"],
        }
        self.downloads.mkdir(parents=True, exist_ok=True)
        (self.downloads / f"{package}.json").write_text(json.dumps(record))
        self._background(self._fetch_and_install, record, self._generation)

    def uninstall(self, package: str) -> None:
        if self.host.uninstall_package(package):
            self.host.windows.show_toast(self._text("uninstalled"))
        self._refresh_details(package)

    def _fetch_and_install(self, record: dict, generation: int) -> None:
        package = record["package"]
        part = self.downloads / f"{package}-{record['version_code']}.part"
        meta = self.downloads / f"{package}.json"
        self._job(package, Job("downloading", self._percent(part, record)))
        offline_since: float | None = None
        while self._live(generation):
            try:
                self._download(record, part, generation)
                break
            except Offline:
                offline_since = offline_since or time.monotonic()
                if time.monotonic() - offline_since > OFFLINE_WAIT:
                    return self._fail(package, "no network", part, meta)
                self._job(package, Job("offline", self._percent(part, record)))
                time.sleep(1.0)
            except Refused as exc:
                return self._fail(package, exc.message or exc.code, part, meta)
        if not self._live(generation):
            return  # the device goes down: the part stays, to resume after boot
        data = part.read_bytes()
        if len(data) != record["size"] or hashlib.sha256(data).hexdigest() != record["sha256"]:
            return self._fail(package, "download_corrupt", part, meta)
        self._job(package, Job("installing", 100))
        failure = self.host.install_apk(data)
        part.unlink(missing_ok=True)
        meta.unlink(missing_ok=True)
        if failure:
            return self._fail(package, failure)
        with self._lock:
            self.jobs.pop(package, None)
        self._log("I", f"installed {package} version {record['version_code']}")
        self.host.windows.show_toast(self._text("installed"))
        self._refresh_details(package)

    def _download(self, record: dict, part: Path, generation: int) -> None:
        link = self._link
        if link is None:
            raise Offline("not configured")
        have = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        path = f"/v1/apps/{record['package']}/apk"
        with link.stream(path, headers, version_code=record["version_code"]) as response:
            if response.status_code == 200:  # the whole file: start over
                have = 0
            with part.open("r+b" if have else "wb") as out:
                out.seek(have)
                out.truncate()
                for chunk in response.iter_bytes(CHUNK):
                    if not self._live(generation):
                        return
                    out.write(chunk)
                    have += len(chunk)
                    percent = min(99, have * 100 // max(1, record["size"]))
                    if percent != self.jobs.get(record["package"], Job("")).percent:
                        self._job(record["package"], Job("downloading", percent))

    # -- helpers
    def _percent(self, part: Path, record: dict) -> int:
        have = part.stat().st_size if part.exists() else 0
        return min(99, have * 100 // max(1, record["size"]))

    def _job(self, package: str, job: Job) -> None:
        with self._lock:
            self.jobs[package] = job
        self.host.windows.refresh()

    def _fail(self, package: str, message: str, *files: Path) -> None:
        for path in files:
            path.unlink(missing_ok=True)
        self._log("W", f"{package}: {message}")
        self._job(package, Job("failed", 0, message))

    def _refresh_details(self, package: str) -> None:
        if self.details and self.details.get("package") == package:
            self._load_details(package)
        self.host.windows.refresh()

    def _ask(self, call: Callable[[CloudLink], dict]) -> dict | None:
        """One call to the store; a problem becomes the message shown."""
        link = self._link
        if link is None:
            self.message = "not_set_up"
            return None
        try:
            return call(link)
        except Offline:
            self.message = "offline"
        except Refused as exc:
            self.message = exc.message or exc.code
        self.host.windows.refresh()
        return None

    def _text(self, key: str) -> str:
        from lab.sim.ui.strings import tr  # the toast speaks the device's language

        return tr(key, str(getattr(self.host, "settings", {}).get("language", "en")))

    def _background(self, target: Callable, *args: object) -> None:
        threading.Thread(target=target, args=args, daemon=True, name="store-work").start()

    def _log(self, priority: str, message: str) -> None:
        self.host.log(priority, TAG, message)
