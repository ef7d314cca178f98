"""Allure results written with every secret redacted: the result and container files
(test and step names, parameters, failure messages and traces) and every text
attachment, whoever attached it (allure-pytest's captured logs too).

allure-pytest registers its own AllureFileLogger; `install` puts this one in its place
under the same name and puts the original back at cleanup, before allure-pytest's own
cleanup unregisters it (cleanups run last in, first out)."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import allure_commons
import pytest
from allure_commons import hookimpl
from allure_commons.logger import AllureFileLogger
from attr import asdict

from lab.redaction import SECRETS

# Allure's own references between files (a result's attachments, a container's children)
# are random UUIDs. Their digits can form a Luhn-valid "card number" or hold a PIN, and a
# redacted reference would point at no file: the attachment would be lost from the report.
REFERENCES = frozenset({"uuid", "source", "children", "historyId", "testCaseId"})


def redacted(value: Any, key: str = "") -> Any:
    """Every text in a result redacted, except Allure's references (`REFERENCES`)."""
    if isinstance(value, dict):
        return {k: redacted(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [redacted(v, key) for v in value]
    if isinstance(value, str) and key not in REFERENCES:
        return SECRETS.redact(value)
    return value


class RedactingFileLogger(AllureFileLogger):
    def _report_item(self, item) -> None:
        data = asdict(item, filter=lambda _, v: v or v is False)
        text = json.dumps(redacted(data), ensure_ascii=False)
        final = self._report_dir / item.file_pattern.format(prefix=uuid.uuid4())
        temporary = final.with_name(final.name + ".tmp")
        with open(temporary, "w", encoding="utf8") as handle:
            handle.write(text)
        os.replace(temporary, final)

    @hookimpl
    def report_attached_file(self, source, file_name) -> None:
        self.report_attached_data(Path(source).read_bytes(), file_name)

    @hookimpl
    def report_attached_data(self, body, file_name) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        super().report_attached_data(SECRETS.redact_bytes(data), file_name)


def install(config: pytest.Config) -> None:
    manager = allure_commons.plugin_manager
    for name, plugin in list(manager.list_name_plugin()):
        if type(plugin) is AllureFileLogger:
            manager.unregister(plugin)
            ours = RedactingFileLogger(plugin._report_dir)
            manager.register(ours, name=name)

            def restore(ours=ours, name=name, plugin=plugin) -> None:
                manager.unregister(ours)
                manager.register(plugin, name=name)

            config.add_cleanup(restore)
