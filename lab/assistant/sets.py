"""The voice suite's utterances as data (the kit's data/voice/utterances.yaml): commands with
what each must do, impostor phrases, background speech, and the short and full sets
(voices, speeds, noise). Checked on load: a mistake names its place in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import yaml

from lab.errors import LabError
from lab.voice.speech import Voice
from lab.voice.utterance import Utterance

QUIET = ("none", 0.0)


@dataclass(frozen=True)
class Command:
    say: str
    classes: tuple[str, ...]
    card: str | None  # the card's answer, exactly
    card_pattern: str | None  # or a regular expression it must match
    speaks: str | None  # the spoken answer, as words
    then: dict

    def card_matches(self, shown: str) -> bool:
        if self.card is not None:
            return shown == self.card
        return bool(self.card_pattern and re.fullmatch(self.card_pattern, shown))


@dataclass(frozen=True)
class Plan:
    """What one device is asked, in order: (command or None for the wake phrase alone,
    utterance) pairs; impostors; seconds of background speech and the pace to play it."""

    turns: list[tuple[Command | None, Utterance]]
    impostors: list[Utterance]
    background: list[Utterance]
    background_seconds: float
    background_pace: float


@dataclass(frozen=True)
class VoiceData:
    commands: list[Command]
    impostors: list[str]
    background: list[str]
    sets: dict

    def for_class(self, device_class: str) -> list[Command]:
        return [c for c in self.commands if device_class in c.classes]

    def plan(self, name: str, device_class: str) -> Plan:
        if name not in self.sets:
            raise LabError(f"no voice set {name!r}", hint=f"one of {sorted(self.sets)}")
        spec = self.sets[name]
        commands = self.for_class(device_class)
        noise = (spec["noise"]["kind"], float(spec["noise"]["snr_db"]))
        turns: list[tuple[Command | None, Utterance]] = []
        if name == "short":
            voice = _voice(spec["voices"][0])
            # the first command every class has, and the class's own last one
            for command in [commands[0], commands[-1]] if len(commands) > 1 else commands:
                turns.append((command, Utterance(command.say, voice)))
            turns.append((None, Utterance("", voice)))
            noisy = _voice(spec["noisy_voices"][0])
            turns.append((commands[0], Utterance(commands[0].say, noisy, noise=noise[0],
                                                 snr_db=noise[1], seed=1)))  # fmt: skip
        else:
            combos = product(spec["voices"], spec["speeds"], (QUIET, noise))
            for n, (v, speed, (kind, snr)) in enumerate(combos):
                voice = Voice(v[0], int(speed), int(v[2]))
                for k in range(2):
                    command = commands[(2 * n + k) % len(commands)]
                    turns.append(
                        (command, Utterance(command.say, voice, noise=kind, snr_db=snr, seed=n))
                    )
        first = _voice(spec["voices"][0])
        impostors = [
            Utterance(text, first, wake="", seed=i)
            for i, text in enumerate(self.impostors[: spec["impostors"]])
        ]
        background = [
            Utterance(text, _voice(spec["voices"][i % len(spec["voices"])]), wake="")
            for i, text in enumerate(self.background)
        ]
        return Plan(
            turns,
            impostors,
            background,
            float(spec["background_seconds"]),
            float(spec["background_pace"]),
        )


def _voice(spec: list) -> Voice:
    return Voice(str(spec[0]), int(spec[1]), int(spec[2]))


def load(path: Path) -> VoiceData:
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise LabError(f"{path}: cannot read the voice utterances: {exc}") from None
    where = str(path)
    if not isinstance(data, dict):
        raise LabError(f"{where}: expected a mapping (commands, impostors, background, sets)")
    for key in ("commands", "impostors", "background", "sets"):
        if key not in data:
            raise LabError(f"{where}: missing {key!r}")
    commands = []
    for i, entry in enumerate(data["commands"]):
        place = f"{where}: commands[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("say"), str):
            raise LabError(f"{place}: expected a mapping with `say`")
        if ("card" in entry) == ("card_pattern" in entry):
            raise LabError(f"{place} ({entry['say']!r}): give `card` or `card_pattern`")
        if "card_pattern" in entry:
            try:
                re.compile(entry["card_pattern"])
            except re.error as exc:
                raise LabError(f"{place}: card_pattern: {exc}") from None
        commands.append(
            Command(
                entry["say"],
                tuple(entry.get("classes", ())),
                entry.get("card"),
                entry.get("card_pattern"),
                entry.get("speaks"),
                dict(entry.get("then") or {}),
            )
        )
    for name, spec in data["sets"].items():
        for key in ("voices", "noise", "impostors", "background_seconds", "background_pace"):
            if key not in spec:
                raise LabError(f"{where}: sets.{name}: missing {key!r}")
    return VoiceData(commands, list(data["impostors"]), list(data["background"]), data["sets"])
