"""The store's screens: the catalogue with a search field (.Store) and an app's details
(.Details: price, version, size; Install / Buy / Update / Open / Uninstall / Refund,
progress, or "Not compatible with this device"); English or Simplified Chinese."""

from __future__ import annotations

from lab.sim.apps.base import DeviceState
from lab.sim.apps.store.service import PACKAGE, StoreService
from lab.sim.apps.wallet.model import money
from lab.sim.ui.screen import Item, Line, Screen
from lab.sim.ui.strings import STRINGS, tr


def _size(size: int | None) -> str:
    return f"{size / 1e6:.1f} MB" if size else ""


class StoreApp:
    package = PACKAGE

    def __init__(self, service: StoreService) -> None:
        self.service = service

    def screen(self, activity: str, state: DeviceState) -> Screen:
        lang = str(state.settings["language"])
        if self.service.config is None:
            status = Line("status", tr("store", lang), tr("not_set_up", lang))
            return Screen(self.package, activity, tr("store", lang), lines=(status,))
        if activity == ".Details" and self.service.details:
            return self._details(activity, lang, state)
        return self._home(lang, state)

    def _home(self, lang: str, state: DeviceState) -> Screen:
        store = self.service
        if store.catalog is None and not store.message:
            store.load_catalog()
        items = [Item("search", tr("search", lang), "search", value=store.query, editable=True)]
        for app in store.catalog or []:
            installed = state.packages.get(app["package"])
            if installed and app["version_code"] and installed.version_code < app["version_code"]:
                value = tr("update_available", lang)
            elif installed:
                value = tr("installed", lang)
            else:
                value = money(app["price"]) if app["price"] else tr("free", lang)
            key = "app_" + app["package"].replace(".", "_")
            items.append(Item(key, app["title"], f"details:{app['package']}", value=value))
        lines = []
        if store.catalog is None:
            lines.append(Line("status", tr("status", lang), tr("loading", lang)))
        elif not store.catalog:
            lines.append(Line("status", tr("status", lang), tr("no_apps", lang)))
        if store.message:
            lines.append(Line("message", tr("status", lang), _said(store.message, lang)))
        return Screen(
            self.package, ".Store", tr("store", lang), items=tuple(items), lines=tuple(lines)
        )

    def _details(self, activity: str, lang: str, state: DeviceState) -> Screen:
        store = self.service
        app = store.details or {}
        package = app.get("package", "")
        title = app.get("title") or package
        if app.get("loading"):
            status = Line("status", tr("status", lang), tr("loading", lang))
            return Screen(self.package, activity, title, lines=(status,))
        lines = [
            Line("developer", tr("developer", lang), app.get("developer", "")),
            Line(
                "price",
                tr("pay", lang),
                money(app["price"]) if app.get("price") else tr("free", lang),
            ),
        ]
        if app.get("version_name"):
            lines.append(Line("version", tr("version", lang), app["version_name"]))
            lines.append(Line("size", tr("size", lang), _size(app.get("size"))))
        items: list[Item] = []
        installed = state.packages.get(package)
        job = store.jobs.get(package)
        if app.get("missing") or app.get("compatible") is False:
            reason = app.get("incompatible_reason") or ""
            lines.append(Line("compatibility", tr("not_compatible", lang), reason))
        elif job and job.state != "failed":
            lines.append(
                Line("progress", tr("status", lang), _progress(job.state, job.percent, lang))
            )
        else:
            if job and job.state == "failed":
                said = tr("failed", lang, reason=_said(job.message, lang))
                lines.append(Line("progress", tr("status", lang), said))
            newer = (
                installed
                and app.get("version_code")
                and installed.version_code < app["version_code"]
            )
            if installed and newer:
                items.append(Item("update", tr("update", lang), f"install:{package}"))
                lines.append(
                    Line("update_status", tr("status", lang), tr("update_available", lang))
                )
            if installed:
                items.append(Item("open", tr("open", lang), f"open:{package}"))
                items.append(Item("uninstall", tr("uninstall", lang), f"uninstall:{package}"))
            elif app.get("owned"):
                items.append(Item("install", tr("install", lang), f"install:{package}"))
            else:
                label = tr("buy_for", lang, price=money(app.get("price", 0)))
                items.append(Item("buy", label, f"buy:{package}"))
            if app.get("price") and app.get("owned"):
                items.append(Item("refund", tr("refund", lang), f"refund:{package}"))
        if store.message:
            lines.append(Line("message", tr("status", lang), _said(store.message, lang)))
        return Screen(self.package, activity, title, items=tuple(items), lines=tuple(lines),
                      lines_first=True)  # fmt: skip

    def act(self, action: str, state: DeviceState) -> str | None:
        store = self.service
        verb, _, package = action.partition(":")
        if verb == "details":
            store.open_details(package)
        elif verb == "install":
            store.install(package)
        elif verb == "buy":
            store.buy(package)
        elif verb == "uninstall":
            store.uninstall(package)
        elif verb == "refund":
            store.refund(package)
        elif verb == "open":
            installed = state.packages.get(package)
            return f"start:{installed.component}" if installed and installed.component else None
        elif verb == "search":
            return None  # a text field: typing is `edit`
        state.windows.refresh()
        return None

    def edit(self, key: str, text: str, state: DeviceState) -> None:
        if key == "search":
            self.service.load_catalog(text)


def _progress(state: str, percent: int, lang: str) -> str:
    if state == "downloading":
        return tr("downloading", lang, percent=percent)
    if state == "offline":
        return tr("offline_at", lang, percent=percent)
    return tr("waiting_payment" if state == "paying" else state, lang)


def _said(message: str, lang: str) -> str:
    return tr(message, lang) if message in STRINGS else message
