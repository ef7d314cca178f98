"""Turn tokens into a list of and-or chains of pipelines of simple commands."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lab.sim.sh.lexer import ShellSyntaxError, Token, Word

_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


@dataclass
class Redirect:
    op: str  # ">", ">>", "<", "2>", "2>>", "2>&1", ">&2"
    target: Word | None = None


@dataclass
class Command:
    assignments: list[tuple[str, Word]] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class Chain:
    """Pipelines joined by && / ||; `joins[i]` joins pipelines i and i+1."""

    pipelines: list[list[Command]] = field(default_factory=list)
    joins: list[str] = field(default_factory=list)


def parse(tokens: list[Token]) -> list[Chain]:
    chains: list[Chain] = []
    chain = Chain()
    pipeline: list[Command] = []
    command = Command()
    i = 0

    def end_command() -> None:
        nonlocal command
        if not (command.words or command.assignments or command.redirects):
            raise ShellSyntaxError("syntax error: missing command")
        pipeline.append(command)
        command = Command()

    while i < len(tokens):
        token = tokens[i]
        if token.kind == "word":
            assert token.word is not None
            bare = token.word.parts[0][1] == "" if token.word.parts else False
            literal = token.word.literal
            if not command.words and bare and _ASSIGNMENT.match(token.word.parts[0][0]):
                name, _, _ = literal.partition("=")
                value = _strip_prefix(token.word, len(name) + 1)
                command.assignments.append((name, value))
            else:
                command.words.append(token.word)
        elif token.kind == "redir":
            if token.value in ("2>&1", "1>&2", ">&2"):
                command.redirects.append(Redirect(token.value))
            else:
                i += 1
                if i >= len(tokens) or tokens[i].kind != "word":
                    raise ShellSyntaxError(f"syntax error: {token.value} needs a file")
                command.redirects.append(Redirect(token.value, tokens[i].word))
        elif token.value == "|":
            end_command()
        elif token.value in ("&&", "||"):
            end_command()
            chain.pipelines.append(pipeline)
            chain.joins.append(token.value)
            pipeline = []
        else:  # ";" or "&" (background runs in the foreground here)
            if command.words or command.assignments or command.redirects:
                end_command()
            elif pipeline or chain.joins or not chains or _after_separator(tokens, i):
                raise ShellSyntaxError(f"syntax error near {token.value!r}")
            if pipeline:
                chain.pipelines.append(pipeline)
                chains.append(chain)
            chain, pipeline = Chain(), []
        i += 1
    if command.words or command.assignments or command.redirects:
        end_command()
    elif pipeline or chain.joins:
        raise ShellSyntaxError("syntax error: unexpected end of line")
    if pipeline:
        chain.pipelines.append(pipeline)
        chains.append(chain)
    return chains


def _after_separator(tokens: list[Token], i: int) -> bool:
    return i > 0 and tokens[i - 1].kind == "op" and tokens[i - 1].value in (";", "&")


def _strip_prefix(word: Word, count: int) -> Word:
    parts = list(word.parts)
    text, quoting = parts[0]
    parts[0] = (text[count:], quoting)
    return Word([p for p in parts if p[0] or p[1]])
