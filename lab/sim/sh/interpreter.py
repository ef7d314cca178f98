"""Run parsed command lines against a table of commands (the emulated Android system)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Protocol

from lab.sim.sh.lexer import ShellSyntaxError, Word, tokenize
from lab.sim.sh.parser import Chain, Command, Redirect, parse
from lab.sim.sh.proc import BytesInput, Input, Proc

_VARIABLE = re.compile(r"\$(\?|\$|#|[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})")


class Files(Protocol):
    def write(self, path: str, data: bytes, append: bool) -> None: ...
    def read(self, path: str) -> bytes: ...


class ShellExit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class Shell:
    """One shell session: variables and `$?` survive from one line to the next."""

    def __init__(
        self,
        commands: Callable[[str], Callable[[Proc], int] | None],
        files: Files,
        env: dict[str, str],
    ) -> None:
        self._lookup = commands
        self._files = files
        self.env = dict(env)
        self.status = 0
        self.cwd = "/"

    def run(
        self,
        line: str,
        stdin: Input,
        out: Callable[[bytes], None],
        err: Callable[[bytes], None],
        cancelled=None,
    ) -> int:
        try:
            chains = parse(tokenize(line))
        except ShellSyntaxError as exc:
            err(f"sh: {exc}\n".encode())
            self.status = 2
            return 2
        try:
            for chain in chains:
                self._run_chain(chain, stdin, out, err, cancelled)
        except ShellExit as exc:
            self.status = exc.code
        return self.status

    def _run_chain(self, chain: Chain, stdin, out, err, cancelled) -> None:
        for index, pipeline in enumerate(chain.pipelines):
            if index:
                join = chain.joins[index - 1]
                if (join == "&&" and self.status != 0) or (join == "||" and self.status == 0):
                    continue
            self.status = self._run_pipeline(pipeline, stdin, out, err, cancelled)

    def _run_pipeline(self, pipeline: list[Command], stdin, out, err, cancelled) -> int:
        status = 0
        data_in: Input = stdin
        for position, command in enumerate(pipeline):
            last = position == len(pipeline) - 1
            buffer = bytearray()
            sink = out if last else buffer.extend
            status = self._run_command(command, data_in, sink, err, cancelled)
            if not last:
                data_in = BytesInput(bytes(buffer))
        return status

    def _run_command(self, command: Command, stdin: Input, out, err, cancelled) -> int:
        args = [field for word in command.words for field in self.expand(word)]
        values = {
            name: "".join(self.expand(word, split=False)) for name, word in command.assignments
        }
        if not args:
            self.env.update(values)
            return 0
        try:
            stdin, out, err, finish = self._redirect(command.redirects, stdin, out, err)
        except OSError as exc:
            err(f"sh: {exc.strerror or exc}\n".encode())
            return 1
        try:
            return self._invoke(args, {**self.env, **values}, stdin, out, err, cancelled)
        finally:
            finish()

    def _invoke(self, args: list[str], env, stdin, out, err, cancelled) -> int:
        name = args[0]
        if name == "exec":
            return self._invoke(args[1:], env, stdin, out, err, cancelled) if args[1:] else 0
        if name == "exit":
            raise ShellExit(
                int(args[1]) & 0xFF if len(args) > 1 and args[1].isdigit() else self.status
            )
        if name == "export":
            for item in args[1:]:
                key, sep, value = item.partition("=")
                if sep:
                    self.env[key] = value
            return 0
        if name == "unset":
            for key in args[1:]:
                self.env.pop(key, None)
            return 0
        if name == "cd":
            self.cwd = os.path.normpath(os.path.join(self.cwd, args[1] if len(args) > 1 else "/"))
            return 0
        command = self._lookup(os.path.basename(name))
        if command is None:
            err(f"/system/bin/sh: {name}: inaccessible or not found\n".encode())
            return 127
        proc = Proc(
            args=[os.path.basename(name), *args[1:]],
            env=env,
            stdin=stdin,
            out=out,
            err=err,
            cwd=self.cwd,
        )
        if cancelled is not None:
            proc.cancelled = cancelled
        return command(proc)

    def _redirect(self, redirects: list[Redirect], stdin, out, err):
        pending: list[tuple[str, bytearray, bool]] = []
        for redirect in redirects:
            if redirect.op == "2>&1":
                err = out
            elif redirect.op in ("1>&2", ">&2"):
                out = err
            else:
                assert redirect.target is not None
                path = "".join(self.expand(redirect.target, split=False))
                path = os.path.normpath(os.path.join(self.cwd, path))
                if redirect.op == "<":
                    stdin = BytesInput(self._files.read(path))
                    continue
                buffer = bytearray()
                append = redirect.op.endswith(">>")
                self._files.write(path, b"", append=append)  # create/truncate now, like sh
                pending.append((path, buffer, append))
                if redirect.op.startswith("2"):
                    err = buffer.extend
                else:
                    out = buffer.extend

        def finish() -> None:
            for path, buffer, _append in pending:
                self._files.write(path, bytes(buffer), append=True)

        return stdin, out, err, finish

    def expand(self, word: Word, split: bool = True) -> list[str]:
        pieces = []
        expanded_bare = False
        for text, quoting in word.parts:
            if quoting == "'":
                pieces.append(text)
            else:
                new = _VARIABLE.sub(self._value, text)
                expanded_bare |= quoting == "" and new != text
                pieces.append(new)
        value = "".join(pieces)
        if split and expanded_bare and not word.has_quotes:
            return value.split()
        return [value]

    def _value(self, match: re.Match[str]) -> str:
        name = match.group(1).strip("{}")
        if name == "?":
            return str(self.status)
        if name == "$":
            return str(os.getpid())
        if name == "#":
            return "0"
        return self.env.get(name, "")
