"""What the assistant can hear, as a JSGF grammar per device class, and how a result is
read back. A grammar forces every sound onto its nearest phrase, so the wake phrase has
decoys beside it: sounds close to "hi toss" ("hi boss", "his toast", "high") land on a
decoy and wake nothing. A loop of common words was tried in place of the decoys and
dropped: it swallowed real commands (measured in the voice WIP, issue 12).

A result is acted on only when it is a whole sentence of the grammar: pocketsphinx
answers its best partial path when the audio ends mid-phrase (shared/notes), and a
partial "hi toss pay twenty" must not pay twenty."""

from __future__ import annotations

import re
from dataclasses import dataclass

WAKE = "hi toss"  # "Hi TOS", spelled as the recogniser's dictionary says it
DECOYS = [
    "hi tom", "hi boss", "hi ross", "hi tess", "hi tops", "his toast", "hide the", "high",
    "hey", "his", "this", "the", "i", "hello", "okay",
]  # fmt: skip
UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
         "seventeen", "eighteen", "nineteen"]  # fmt: skip
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SEARCH_TERMS = ["chess", "weather", "maps", "notes", "music", "games", "news", "radio"]


def commands(device_class: str) -> list[str]:
    found = [
        "open settings",
        "open the store",
        "open the wallet",
        "what time is it",
        "set brightness to <number>",
        "search the store for <term>",
    ]
    if device_class == "watch":
        found.append("pay <number> yuan")
    if device_class in ("tv", "headset"):
        found += ["play", "pause"]
    return found


def _number_rule() -> str:
    units = " | ".join(UNITS[1:])
    return f"{units} | {' | '.join(TEENS)} | ({' | '.join(TENS)}) [{units}] | one hundred"


def jsgf(device_class: str) -> str:
    return "\n".join(
        [
            "#JSGF V1.0;",
            "grammar tos;",
            "public <utterance> = <wake> [<command>] | <decoy> [<command>] | <command>;",
            f"<wake> = {WAKE};",
            f"<decoy> = {' | '.join(DECOYS)};",
            f"<command> = {' | '.join(commands(device_class))};",
            f"<number> = {_number_rule()};",
            f"<term> = {' | '.join(SEARCH_TERMS)};",
            "",
        ]
    )


@dataclass(frozen=True)
class Heard:
    wake: bool  # the utterance began with the wake phrase
    command: str  # "" when there was none (the bare wake phrase, or a decoy alone)


def _pattern(device_class: str) -> re.Pattern[str]:
    number = r"(?:[a-z]+(?: [a-z]+)?)"  # checked by number() after the match
    term = "|".join(SEARCH_TERMS)
    alternatives = [
        re.escape(c).replace("<number>", number).replace("<term>", f"(?:{term})")
        for c in commands(device_class)
    ]
    lead = "|".join(re.escape(d) for d in [WAKE, *DECOYS])
    return re.compile(rf"(?:(?P<lead>{lead})(?: |$))?(?P<command>{'|'.join(alternatives)})?")


def parse(device_class: str, hypothesis: str) -> Heard | None:
    """What a recogniser's result means; None unless it is a whole sentence."""
    found = _pattern(device_class).fullmatch(hypothesis.strip())
    if found is None or not (found["lead"] or found["command"]):
        return None
    command = found["command"] or ""
    words = command.split()
    if "<number>" in " ".join(commands(device_class)) and words:
        if words[:3] == ["set", "brightness", "to"] and number(words[3:]) is None:
            return None
        if words[0] == "pay" and number(words[1:-1]) is None:
            return None
    return Heard(found["lead"] == WAKE, command)


VALUES = (
    {w: i for i, w in enumerate(UNITS)}
    | {w: 10 + i for i, w in enumerate(TEENS)}
    | {w: 20 + 10 * i for i, w in enumerate(TENS)}
)


def number(words: list[str]) -> int | None:
    """`twenty five` -> 25; None when the words are not a number of the grammar."""
    if words == ["one", "hundred"]:
        return 100
    if len(words) == 1 and words[0] in VALUES and words[0] != "zero":
        return VALUES[words[0]]
    if len(words) == 2 and words[0] in TENS and words[1] in UNITS[1:]:
        return VALUES[words[0]] + VALUES[words[1]]
    return None
