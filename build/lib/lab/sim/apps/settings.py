"""Settings: Wi-Fi, brightness, language (English / Simplified Chinese) and About."""

from __future__ import annotations

from lab.sim.apps.base import DeviceState
from lab.sim.ui.screen import Item, Line, Screen
from lab.sim.ui.strings import tr

BRIGHTNESS_STEPS = (25, 50, 75, 100)  # percent; stored 0-255 as Android does
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
        if activity == ".DeviceName":
            return Screen(
                self.package,
                activity,
                tr("device_name", lang),
                items=(
                    Item(
                        "device_name",
                        tr("device_name", lang),
                        "",
                        value=str(state.settings["device_name"]),
                        editable=True,
                    ),
                ),
            )
        if activity == ".About":
            props = state.props
            fingerprint = props.get("ro.build.fingerprint")
            return Screen(
                self.package,
                activity,
                tr("about_device", lang),
                items=(
                    Item(
                        "device_name",
                        tr("device_name", lang),
                        "start:com.tos.settings/.DeviceName",
                        value=str(state.settings["device_name"]),
                    ),
                ),
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
                    value=f"{percent(state.settings['brightness'])}%",
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
            current = percent(state.settings["brightness"])
            later = [s for s in BRIGHTNESS_STEPS if s > current]
            step = later[0] if later else BRIGHTNESS_STEPS[0]
            state.settings["brightness"] = round(step * 255 / 100)
            state.log("I", "DisplayPowerController", f"brightness {step}%")
        elif action.startswith("lang:"):
            state.settings["language"] = action.split(":", 1)[1]
            state.props.set("persist.sys.locale", "zh-CN" if action.endswith("zh") else "en-US")
            state.log("I", "LocaleManager", f"locale -> {state.props.get('persist.sys.locale')}")
            return "back"
        return None

    def edit(self, key: str, text: str, state: DeviceState) -> None:
        if key == "device_name":
            state.settings["device_name"] = text
            state.log("I", "Settings", f"device name -> {text!r}")


def percent(brightness: object) -> int:
    """Settings shows 0-255 as a percentage."""
    return round(int(brightness) * 100 / 255)  # type: ignore[call-overload]
