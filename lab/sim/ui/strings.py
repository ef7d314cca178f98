"""UI strings in the two system languages (English, Simplified Chinese)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "home": ("Home", "主屏幕"),
    "settings": ("Settings", "设置"),
    "about": ("About", "关于"),
    "about_device": ("About device", "关于设备"),
    "wifi": ("Wi-Fi", "无线网络"),
    "brightness": ("Brightness", "亮度"),
    "language": ("Language", "语言"),
    "on": ("On", "开启"),
    "off": ("Off", "关闭"),
    "model": ("Model", "型号"),
    "platform": ("Platform", "平台"),
    "build": ("Build", "版本号"),
    "android": ("Android version", "安卓版本"),
    "serial": ("Serial number", "序列号"),
    "package": ("Package", "应用包名"),
    "version": ("Version", "版本"),
    "scan_build": ("Scan for build info", "扫码查看版本信息"),
    "device_name": ("Device name", "设备名称"),
    "english": ("English", "English"),
    "chinese": ("简体中文", "简体中文"),
}

LANGUAGES = ("en", "zh")


def tr(key: str, language: str) -> str:
    english, chinese = STRINGS[key]
    return chinese if language == "zh" else english
