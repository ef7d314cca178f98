"""The assistant's work: on the wake phrase a listening tone and the listening screen;
on a command the action, a card with what it heard and its answer, and the answer spoken
by espeak-ng into the speaker. Commands it does not have are answered as such (never a
silent no-op)."""

from __future__ import annotations

import logging
import subprocess
import threading
import time
import wave
from io import BytesIO
from typing import Protocol

import numpy as np

from lab.sim.android.audio import RATE, AudioPort
from lab.sim.apps.assistant.grammar import Heard, number
from lab.sim.apps.assistant.listener import Listener

PACKAGE = "com.tos.assistant"
TAG = "TosAssistant"
FOLLOW_UP = 8.0  # seconds the assistant listens for a command after the bare wake phrase
SPEAK_TIMEOUT = 15.0
log = logging.getLogger("assistant")


class Host(Protocol):
    windows: object
    settings: dict
    store: object | None
    wallet: object | None

    def log(self, priority: str, tag: str, message: str, pid: int = ...) -> None: ...


ANSWERS = {  # (English, Chinese) shown on the card; the English is spoken
    "settings": ("Opening settings", "正在打开设置"),
    "store": ("Opening the store", "正在打开应用商店"),
    "wallet": ("Opening the wallet", "正在打开钱包"),
    "no_store": ("There is no store on this device", "此设备没有应用商店"),
    "no_wallet": ("There is no wallet on this device", "此设备没有钱包"),
    "brightness": ("Brightness set to {n} percent", "亮度已设为百分之{n}"),
    "time": ("It is {time}", "现在是{time}"),
    "play": ("Playing", "正在播放"),
    "pause": ("Paused", "已暂停"),
    "search": ("Searching the store for {term}", "正在应用商店搜索{term}"),
    "pay": ("Paying {n} yuan. Enter your PIN", "正在支付{n}元，请输入密码"),
    "pay_not_set_up": ("The wallet is not set up", "钱包尚未设置"),
    "pay_no_payee": ("No shop is set for paying by voice", "尚未设置语音支付的商户"),
    "not_understood": ("Sorry, I did not understand", "抱歉，我没有听懂"),
}


def tone(frequency: float = 880.0, seconds: float = 0.15) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    fade = np.minimum(1.0, np.minimum(t, seconds - t) / 0.01)
    return (np.sin(2 * np.pi * frequency * t) * fade * 12000).astype(np.int16)


class AssistantService:
    def __init__(self, host: Host, audio: AudioPort, device_class: str) -> None:
        self.host = host
        self.audio = audio
        self.device_class = device_class
        self.listening_until = 0.0
        self.heard = ""
        self.answer = ""
        self.playing = False  # the TV's and headset's media
        self.last_intent = ""
        self._listener = Listener(device_class, self._wake, self._utterance)
        audio.on_mic(self._listener.feed)

    # -- from the listener
    def _wake(self) -> None:
        self.listening_until = time.monotonic() + FOLLOW_UP
        self.audio.play(tone())
        self._log("I", "wake phrase heard: listening")
        self.host.windows.start(PACKAGE, ".Listening")

    def _utterance(self, heard: Heard | None, text: str, woke: bool) -> None:
        if woke and (heard is None or not heard.wake):
            # the partial result held the wake phrase, the whole utterance does not
            self._log("I", f"false start, not listening: {text!r}")
            self.listening_until = 0.0
            self.host.windows.close(PACKAGE, {".Listening"})
            return
        listening = time.monotonic() < self.listening_until
        if heard is None:
            if text:
                self._log("D", f"not a whole phrase, ignored: {text!r}")
            if listening and text:
                self.listening_until = 0.0
                self.handle(text, understood=False)
            return
        if not heard.wake and not listening:
            self._log("D", f"ignored (no wake phrase): {text!r}")
            return
        if not heard.command:  # the bare wake phrase: the command comes next
            return
        self.listening_until = 0.0
        self.handle(heard.command)

    # -- commands
    def handle(self, command: str, understood: bool = True) -> None:
        self.heard = command
        intent, values = self._act(command) if understood else ("not_understood", {})
        self.last_intent = intent
        english, chinese = ANSWERS[intent]
        spoken = english.format(**values)
        chinese_shown = self.host.settings.get("language") == "zh"
        self.answer = chinese.format(**values) if chinese_shown else spoken
        took = self._listener.recognition_ms
        self._log("I", f"heard {command!r} -> {intent}: {spoken} (recognised in {took:.0f} ms)")
        self.host.windows.start(PACKAGE, ".Card")
        threading.Thread(target=self._speak, args=(spoken,), daemon=True, name="tts").start()

    def _act(self, command: str) -> tuple[str, dict]:
        words = command.split()
        windows = self.host.windows
        if command == "open settings":
            windows.start("com.tos.settings", ".Settings")  # type: ignore[attr-defined]
            return "settings", {}
        if command == "open the store":
            if self.host.store is None:
                return "no_store", {}
            windows.start("com.tos.store", ".Store")  # type: ignore[attr-defined]
            return "store", {}
        if command == "open the wallet":
            if self.host.wallet is None:
                return "no_wallet", {}
            windows.start("com.tos.wallet", ".Wallet")  # type: ignore[attr-defined]
            return "wallet", {}
        if words[:3] == ["set", "brightness", "to"] and (n := number(words[3:])) is not None:
            n = min(n, 100)
            self.host.settings["brightness"] = round(n * 255 / 100)
            return "brightness", {"n": n}
        if command == "what time is it":
            return "time", {"time": time.strftime("%-I:%M %p")}
        if command in ("play", "pause"):
            self.playing = command == "play"
            return command, {}
        if words[:4] == ["search", "the", "store", "for"] and len(words) == 5:
            if self.host.store is None:
                return "no_store", {}
            self.host.store.load_catalog(words[4])  # type: ignore[attr-defined]
            windows.start("com.tos.store", ".Store")  # type: ignore[attr-defined]
            return "search", {"term": words[4]}
        if words[:1] == ["pay"] and words[-1:] == ["yuan"] and (n := number(words[1:-1])):
            if self.host.wallet is None:
                return "no_wallet", {}
            refused = self.host.wallet.voice_pay(n * 100)  # type: ignore[attr-defined]
            return ("pay", {"n": n}) if not refused else (f"pay_{refused}", {})
        return "not_understood", {}

    def _speak(self, text: str) -> None:
        try:
            wav = subprocess.run(
                ["espeak-ng", "-v", "en-us", "-s", "165", "--stdout", text],
                capture_output=True,
                timeout=SPEAK_TIMEOUT,
                check=True,
            ).stdout
            self.audio.play(_to_rate(wav))
        except (OSError, subprocess.SubprocessError, wave.Error) as exc:
            self._log("E", f"could not speak: {exc}")

    def _log(self, priority: str, message: str) -> None:
        self.host.log(priority, TAG, message)


def _to_rate(wav_bytes: bytes) -> np.ndarray:
    """espeak-ng's WAV (22.05 kHz) at the speaker's 16 kHz (linear interpolation is
    enough for speech read back by a recogniser at 16 kHz)."""
    with wave.open(BytesIO(wav_bytes)) as source:
        rate = source.getframerate()
        samples = np.frombuffer(source.readframes(source.getnframes()), dtype=np.int16)
    if rate == RATE:
        return samples
    positions = np.arange(0, len(samples), rate / RATE)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.int16)
