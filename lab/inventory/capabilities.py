"""The closed vocabulary of device capabilities.

Suites ask for capabilities with `@pytest.mark.requires(...)`; an inventory may only
declare words from this list so that a typo never silently hides a device from a suite.
"""

from __future__ import annotations

from lab.protocols.device_classes import NAMES

CAPABILITIES: dict[str, str] = {
    "touch": "touch screen: taps, swipes and long presses",
    "dpad": "D-pad remote: focus navigation with DPAD_* / ENTER / BACK / HOME keys",
    "round_display": "circular display; pixels outside the circle are black",
    "stereo_display": "side-by-side stereo rendering, one half per eye",
    "nfc": "NFC controller (tap-to-pay, card reader on a serial port)",
    "qr_pay": "shows and scans payment QR codes",
    "camera": "a camera that can scan codes",
    "microphone": "audio input for voice commands",
    "speaker": "audio output for spoken answers",
    "voice": "the TOS+ voice assistant",
    "store": "the TOS+ app store",
    "payment": "the TOS+ wallet and payment stack",
    "wifi": "Wi-Fi that settings can switch on and off",
    "bluetooth": "Bluetooth (game pads, watch pairing)",
    "gamepad": "can act as a game pad for another device (TOS+ Remote, with a camera)",
    "game_host": "runs TOS+ Arcade, a game phones join as game pads by its QR code",
    "battery": "runs on a battery (dumpsys battery reports a level)",
    "console": "a serial console (boot log, `tos>` prompt)",
    "heart_rate": "heart-rate sensor",
    "head_tracking": "6-DoF head tracking",
}

DEVICE_CLASSES: tuple[str, ...] = NAMES  # lab.protocols.device_classes, the one registry
DISPLAY_SHAPES: tuple[str, ...] = ("rect", "round", "stereo")
