"""Split a command line into words (keeping how each piece was quoted) and operators."""

from __future__ import annotations

from dataclasses import dataclass, field

OPERATORS = ("&&", "||", ";", "|", "&")
REDIRECTS = ("2>&1", "1>&2", ">&2", ">>", "2>>", "1>>", ">", "2>", "1>", "<")


class ShellSyntaxError(Exception):
    pass


@dataclass
class Word:
    # (text, quoting) pieces; quoting is "" (bare), "'" or '"'
    parts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def literal(self) -> str:
        return "".join(text for text, _ in self.parts)

    @property
    def has_quotes(self) -> bool:
        return any(q for _, q in self.parts)


@dataclass
class Token:
    kind: str  # "word" | "op" | "redir"
    value: str = ""
    word: Word | None = None


def tokenize(line: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(line)
    current: Word | None = None

    def flush() -> None:
        nonlocal current
        if current is not None:
            tokens.append(Token("word", word=current))
            current = None

    def add(text: str, quoting: str) -> None:
        nonlocal current
        if current is None:
            current = Word()
        if current.parts and current.parts[-1][1] == quoting:
            current.parts[-1] = (current.parts[-1][0] + text, quoting)
        else:
            current.parts.append((text, quoting))

    while i < n:
        ch = line[i]
        if ch in " \t\r\n":
            flush()
            i += 1
        elif ch == "#" and current is None:
            break  # comment to end of line
        elif ch == "'":
            end = line.find("'", i + 1)
            if end < 0:
                raise ShellSyntaxError("unterminated '")
            add(line[i + 1 : end], "'")
            i = end + 1
        elif ch == '"':
            i += 1
            text = []
            while i < n and line[i] != '"':
                if line[i] == "\\" and i + 1 < n and line[i + 1] in '"\\$`':
                    text.append(line[i + 1])
                    i += 2
                else:
                    text.append(line[i])
                    i += 1
            if i >= n:
                raise ShellSyntaxError('unterminated "')
            add("".join(text), '"')
            i += 1
        elif ch == "\\":
            if i + 1 < n:
                add(line[i + 1], "'")
            i += 2
        else:
            redirect = _redirect_at(line, i, current)
            if redirect:
                if current is not None and redirect[0] in "12" and current.literal == redirect[0]:
                    current = None  # the fd digit belonged to the redirect, not a word
                flush()
                tokens.append(Token("redir", redirect))
                i += len(redirect) - (1 if redirect[0] in "12" and line[i] == ">" else 0)
                continue
            operator = next((op for op in OPERATORS if line.startswith(op, i)), None)
            if operator:
                flush()
                tokens.append(Token("op", operator))
                i += len(operator)
            else:
                add(ch, "")
                i += 1
    flush()
    return tokens


def _redirect_at(line: str, i: int, current: Word | None) -> str | None:
    # "2>" only counts as a redirect when the 2 stands alone: `echo 2>f` vs `echo a2>f`
    if (
        line[i] == ">"
        and current is not None
        and current.parts
        and current.parts == [(current.literal, "")]
        and current.literal in ("1", "2")
    ):
        start = i - 1
    elif line[i] in "<>":
        start = i
    else:
        return None
    for redirect in REDIRECTS:
        if line.startswith(redirect, start) and (start == i or redirect[0] in "12"):
            return redirect
    return None
