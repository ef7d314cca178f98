"""A signed bundle verifies offline; any edit after signing is named by file; another
key's signature is refused; keys are made 0600 and never overwritten."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from lab.certify.bundle import sign, verify, write_results
from lab.certify.keys import keygen, load_private
from lab.errors import LabError

DEFAULT_PUB = "reports/certification/keys/lab-cert.pub"

SESSION = {
    "session": "2026.11.22_10.00.00_001", "start": "s", "end": "e", "host": "h",
    "lab_version": "0.1.0", "command": "lab certify run", "devices": ["watch-1"],
    "plan": {"name": "tos-watch", "path": "p", "sha256": "ab" * 32},
    "build": {"build_fingerprint": "tos/watch/w1:12/TOS1/1:user/release-keys"},
    "tests": [{"nodeid": "suites/a/test_x.py::test_one", "module": "suites/a",
               "requirements": ["5.1/W-0-1"], "outcome": "pass", "device": "watch-1",
               "failure": "", "duration": 1.0, "waived_by": ""}],
    "verdict": {"verdict": "PASS", "reasons": [], "waived": [],
                "modules": {"suites/a": {"done": True, "total": 1, "ran": 1}},
                "requirements": {}},
    "history": [],
}  # fmt: skip


@pytest.fixture
def bundle(tmp_path):
    key_path = tmp_path / "keys" / "lab.key"
    keygen(key_path)
    folder = tmp_path / "bundle"
    (folder / "logs").mkdir(parents=True)
    (folder / "logs" / "run.jsonl").write_text("{}\n")
    write_results(folder, SESSION)
    sign(folder, load_private(key_path), SESSION)
    return folder, key_path


def test_a_signed_bundle_verifies_with_its_key(bundle):
    folder, key_path = bundle
    problems, key_id = verify(folder, key_path.with_suffix(".pub").read_bytes())
    assert problems == [] and len(key_id) == 16
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    xml = (folder / "result.xml").read_text()
    assert 'result="pass"' in xml and "tos/watch/w1" in xml and 'modules_done="1"' in xml


def test_an_edited_outcome_is_named(bundle):
    folder, key_path = bundle
    xml = folder / "result.xml"
    xml.write_text(xml.read_text().replace('result="pass"', 'result="fail"'))
    (folder / "logs" / "extra.txt").write_text("slipped in")
    (folder / "logs" / "run.jsonl").unlink()
    problems, _ = verify(folder, key_path.with_suffix(".pub").read_bytes())
    assert problems == ["logs/run.jsonl: missing", "result.xml: changed since it was signed",
                        "logs/extra.txt: added after signing"]  # fmt: skip


def test_another_key_or_an_edited_manifest_is_refused(bundle, tmp_path):
    folder, _ = bundle
    other, _ = keygen(tmp_path / "other" / "other.key")
    problems, _ = verify(folder, other.read_bytes())
    assert any("signature does not match" in p for p in problems)
    manifest = folder / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"PASS"', '"FAIL"'))
    problems, _ = verify(folder, None)
    assert any("signature does not match" in p for p in problems)


def test_a_key_is_never_overwritten(bundle):
    _, key_path = bundle
    with pytest.raises(LabError, match="never overwritten"):
        keygen(key_path)


def _verify_cli(cwd, *args: str) -> subprocess.CompletedProcess:
    lab = Path(sys.executable).with_name("lab")
    return subprocess.run([str(lab), "certify", "verify", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip


def test_a_bundle_re_signed_by_another_key_is_not_trusted(bundle, tmp_path):
    """Edited, then signed again with the forger's own key (whose signer.pub it now
    carries): whole by itself, so only the key the user trusts can tell."""
    folder, key_path = bundle
    xml = folder / "result.xml"
    xml.write_text(xml.read_text().replace('result="pass"', 'result="fail"'))
    forger, _ = keygen(tmp_path / "forger" / "forger.key")
    sign(folder, load_private(forger.with_suffix(".key")), SESSION)
    assert verify(folder, None)[0] == []  # intact by its own signer.pub
    alone = _verify_cli(tmp_path, str(folder))  # no --key, and no lab key here
    assert alone.returncode == 1 and "no key to trust" in alone.stdout
    trusted = _verify_cli(tmp_path, str(folder), "--key", str(key_path.with_suffix(".pub")))
    assert trusted.returncode == 1 and "not a key you trust" in trusted.stdout
    lab_home = tmp_path / "lab"  # run where the lab's own key sits: it is the one trusted
    (lab_home / "reports" / "certification" / "keys").mkdir(parents=True)
    shutil.copy(key_path.with_suffix(".pub"), lab_home / DEFAULT_PUB)
    assert _verify_cli(lab_home, str(folder)).returncode == 1
    shutil.copy(forger, lab_home / DEFAULT_PUB)  # the user chose to trust the forger
    assert _verify_cli(lab_home, str(folder)).returncode == 0
