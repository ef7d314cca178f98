"""What a device may see and install: an app shows in a device's catalogue when one of
its versions fits the device (its required features and minSdk), as Play filters by a
device's configuration; a watch never sees a TV-only app."""

from __future__ import annotations

import json

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lab.services.errors import ApiError
from lab.services.store.models import App, Developer, Entitlement, StoreDevice, Version


def unfit(version: Version, device: StoreDevice) -> str | None:
    """Why `version` cannot run on `device`, or None."""
    if version.min_sdk > device.sdk:
        return f"needs Android API level {version.min_sdk}; this device has {device.sdk}"
    missing = sorted(set(json.loads(version.features)) - set(json.loads(device.features)))
    if missing:
        return f"needs {missing[0]}, which this device does not have"
    return None


def versions(session: Session, package: str) -> list[Version]:
    query = select(Version).where(Version.package == package).order_by(Version.version_code.desc())
    return list(session.scalars(query))


def best(session: Session, package: str, device: StoreDevice) -> tuple[Version | None, str | None]:
    """The newest version that fits the device; else None and why the newest does not."""
    found = versions(session, package)
    for version in found:
        if unfit(version, device) is None:
            return version, None
    return None, (unfit(found[0], device) if found else "no version uploaded yet")


def owned(session: Session, device: StoreDevice, app: App) -> bool:
    if app.price == 0:
        return True
    return session.get(Entitlement, (device.account_id, app.package)) is not None


def view(session: Session, app: App, version: Version | None, device: StoreDevice) -> dict:
    developer = session.get(Developer, app.developer_id)
    return {
        "package": app.package,
        "object": "app",
        "title": app.title,
        "description": app.description,
        "developer": developer.name if developer else "",
        "price": app.price,
        "owned": owned(session, device, app),
        "version_code": version.version_code if version else None,
        "version_name": version.version_name if version else None,
        "size": version.size if version else None,
        "sha256": version.sha256 if version else None,
    }


def listing(session: Session, device: StoreDevice, q: str = "") -> list[dict]:
    query = select(App).order_by(App.title)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            or_(
                App.title.ilike(like),
                App.package.ilike(like),
                App.description.ilike(like),
            )
        )
    found = []
    for app in session.scalars(query):
        version, _ = best(session, app.package, device)
        if version is not None:  # an app that fits no version of the device is not shown
            found.append(view(session, app, version, device))
    return found


def details(session: Session, device: StoreDevice, package: str) -> dict:
    app = session.get(App, package)
    if app is None:
        raise ApiError(404, "resource_missing", f"no app {package}", param="package")
    version, why = best(session, package, device)
    shown = view(session, app, version, device)
    shown["compatible"] = version is not None
    shown["incompatible_reason"] = why
    return shown


def device_of(session: Session, device_id: str) -> StoreDevice:
    device = session.get(StoreDevice, device_id)
    if device is None:
        raise ApiError(404, "resource_missing", f"no device {device_id}", param="device")
    return device
