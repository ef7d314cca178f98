"""Settings: Wi-Fi, brightness, language (English / Simplified Chinese) and About."""

from __future__ import annotations

from lab.sim.apps.base import DeviceState
from lab.sim.ui.screen import Item, Line, Screen
from lab.sim.ui.strings import tr

BRIGHTNESS_STEPS = (25, 50, 75, 100)
LANGUAGES = {"en": "english", "zh": "chinese"}  # code -> its name's string key


class SettingsApp:
    package = "com.tos.settings"

    def screen(self, activity: str, state: DeviceState) -> Screen:
        lang = str(state.settings["language"])
        if activity == ".Language":
            return Screen(
                self.package,
                activity,
                tr("language", lang),
                items=tuple(
                    Item(
                        f"lang_{code}",
                        tr(LANGUAGES[code], lang),
                        f"lang:{code}",
                        selected=lang == code,
                        value="✓" if lang == code else "",
                    )
                    for code in LANGUAGES
                ),
            )
        if activity == ".About":
            props = state.props
            fingerprint = props.get("ro.build.fingerprint")
            return Screen(
                self.package,
                activity,
                tr("about_device", lang),
                lines=(
                    Line("model", tr("model", lang), props.get("ro.product.model")),
                    Line("platform", tr("platform", lang), props.get("tos.platform")),
                    Line("build", tr("build", lang), fingerprint),
                    Line("android", tr("android", lang), props.get("ro.build.version.release")),
                    Line("serial", tr("serial", lang), props.get("ro.serialno")),
                ),
                qr=fingerprint,
                qr_caption=tr("scan_build", lang),
            )
        wifi = bool(state.settings["wifi"])
        return Screen(
            self.package,
            ".Settings",
            tr("settings", lang),
            items=(
                Item("wifi", tr("wifi", lang), "toggle:wifi", switch=wifi),
                Item(
                    "brightness",
                    tr("brightness", lang),
                    "cycle:brightness",
                    value=f"{state.settings['brightness']}%",
                ),
                Item(
                    "language",
                    tr("language", lang),
                    "start:com.tos.settings/.Language",
                    value=tr(LANGUAGES.get(lang, "english"), lang),
                ),
                Item("about", tr("about_device", lang), "start:com.tos.settings/.About"),
            ),
        )

    def act(self, action: str, state: DeviceState) -> str | None:
        if action == "toggle:wifi":
            state.settings["wifi"] = not state.settings["wifi"]
            state.log("I", "WifiService", f"setWifiEnabled: {state.settings['wifi']}")
        elif action == "cycle:brightness":
            current = int(state.settings["brightness"])  # type: ignore[arg-type]
            later = [s for s in BRIGHTNESS_STEPS if s > current]
            state.settings["brightness"] = later[0] if later else BRIGHTNESS_STEPS[0]
            state.log("I", "DisplayPowerController", f"brightness {state.settings['brightness']}%")
        elif action.startswith("lang:"):
            state.settings["language"] = action.split(":", 1)[1]
            state.props.set("persist.sys.locale", "zh-CN" if action.endswith("zh") else "en-US")
            state.log("I", "LocaleManager", f"locale -> {state.props.get('persist.sys.locale')}")
            return "back"
        return None
