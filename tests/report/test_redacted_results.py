"""Allure results are written redacted, and redaction never breaks Allure's own references:
a CI run once lost a health check's attachment because the digits of its random UUID
formed a Luhn-valid card number, and the result named a file that did not exist."""

from __future__ import annotations

import json

from allure_commons import model2  # the module: pytest would collect a class named Test*

from lab.protocols.pan import luhn_ok, mask_all, with_check_digit
from lab.redaction import SECRETS
from lab.report.redacting_logger import RedactingFileLogger

CARD = with_check_digit("621234567890123")
SECRET = "7e1f0c9aa"  # hex, so it can sit inside a UUID


def _reference_that_looks_like_a_card() -> str:
    body = "499483123456198"
    digits = with_check_digit(body)
    uuid = f"b03251ba-9c76-{digits[0:4]}-{digits[4:8]}-{digits[8:16]}d910"
    assert luhn_ok(digits) and mask_all(uuid) != uuid  # the hazard is real
    return uuid


def _text(name: str, uuid: str) -> model2.Attachment:
    return model2.Attachment(name=name, source=f"{uuid}-attachment.txt", type="text/plain")


def test_references_survive_and_text_is_redacted(tmp_path):
    SECRETS.register(SECRET, "test key")
    card_like = _reference_that_looks_like_a_card()
    secret_like = f"{SECRET}-0000-4000-8000-000000000000"
    logger = RedactingFileLogger(str(tmp_path))
    for source in (card_like, secret_like):
        (tmp_path / f"{source}-attachment.txt").write_text("check output")
    result = model2.TestResult(
        uuid=card_like,
        name=f"test paying with {CARD}",
        attachments=[_text("health check", card_like), _text(f"key {SECRET}", secret_like)],
        statusDetails=model2.StatusDetails(message=f"refused {CARD} with key {SECRET}"),
    )
    logger.report_result(result)

    [written] = tmp_path.glob("*-result.json")
    data = json.loads(written.read_text())
    for attachment in data["attachments"]:
        assert (tmp_path / attachment["source"]).is_file(), attachment  # still found
    assert data["uuid"] == card_like
    text = written.read_text().replace(card_like, "").replace(secret_like, "")
    assert CARD not in text and SECRET not in text, text
    assert mask_all(CARD) in data["name"] and "[test key]" in data["statusDetails"]["message"]
    assert data["attachments"][1]["name"] == "key [test key]"
