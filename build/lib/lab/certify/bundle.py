"""The result bundle of a certification session (reports/certification/<session>/):
result.json, result.xml in the spirit of CTS's test_result.xml, summary.html and the
run's logs, with manifest.json (every file's SHA-256, the build fingerprint, the plan's
hash, the lab version, the signing key's id) signed with Ed25519 (manifest.sig). CTS
protects its result with an unkeyed checksum only; this one verifies offline against a
public key, and `verify` names every file that changed."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lab.certify.keys import key_id, load_public
from lab.errors import LabError

MANIFEST, SIGNATURE, SIGNER = "manifest.json", "manifest.sig", "signer.pub"
OUTCOME_XML = {"pass": "pass", "fail": "fail", "skip": "ignored", "not_executed": "not_executed"}


def write_results(folder: Path, session: dict) -> None:
    (folder / "result.json").write_text(json.dumps(session, indent=1, sort_keys=True))
    (folder / "result.xml").write_bytes(_xml(session))
    (folder / "summary.html").write_text(_html(session))


def _xml(session: dict) -> bytes:
    result = ET.Element("Result", {
        "start": session["start"], "end": session["end"], "suite_name": "TOS+ CTS",
        "suite_plan": session["plan"]["name"], "suite_plan_sha256": session["plan"]["sha256"],
        "suite_version": session["lab_version"], "host_name": session["host"],
        "devices": ",".join(session["devices"]), "command_line_args": session["command"],
        "verdict": session["verdict"]["verdict"],
    })  # fmt: skip
    build = session["build"]
    ET.SubElement(result, "Build", {k: str(v) for k, v in build.items()})
    tests = session["tests"]
    ET.SubElement(result, "Summary", {
        "pass": str(sum(t["outcome"] == "pass" for t in tests)),
        "failed": str(sum(t["outcome"] == "fail" for t in tests)),
        "not_executed": str(sum(t["outcome"] == "not_executed" for t in tests)),
        "modules_done": str(sum(m["done"] for m in session["verdict"]["modules"].values())),
        "modules_total": str(len(session["verdict"]["modules"])),
    })  # fmt: skip
    for module, state in session["verdict"]["modules"].items():
        node = ET.SubElement(result, "Module", {"name": module, "done": str(state["done"]).lower(),
                                                "total_tests": str(state["total"])})  # fmt: skip
        for test in (t for t in tests if t["module"] == module):
            case = ET.SubElement(node, "Test", {
                "name": test["nodeid"], "result": OUTCOME_XML[test["outcome"]],
                "device": test["device"], "requirements": " ".join(test["requirements"]),
            })  # fmt: skip
            if test["waived_by"]:
                case.set("known_failure", test["waived_by"])
            if test["outcome"] == "fail":
                failure = ET.SubElement(case, "Failure", {"message": test["failure"][-300:]})
                ET.SubElement(failure, "StackTrace").text = test["failure"]
    history = ET.SubElement(result, "RunHistory")
    for run in session.get("history", []):
        ET.SubElement(history, "Run", {k: str(v) for k, v in run.items()})
    ET.indent(result)
    return ET.tostring(result, encoding="utf-8", xml_declaration=True)


def _html(session: dict) -> str:
    v = session["verdict"]
    colour = "#2e7d32" if v["verdict"] == "PASS" else "#c62828"
    rows = "".join(
        f"<tr><td>{html.escape(t['nodeid'])}</td><td>{t['outcome']}"
        f"{' (waived ' + html.escape(t['waived_by']) + ')' if t['waived_by'] else ''}</td>"
        f"<td>{html.escape(t['device'])}</td>"
        f"<td>{html.escape(' '.join(t['requirements']))}</td></tr>"
        for t in session["tests"]
    )
    reasons = "".join(f"<li>{html.escape(r)}</li>" for r in v["reasons"]) or "<li>none</li>"
    return f"""<!doctype html><meta charset="utf-8"><title>{session["session"]}</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{padding:2px 8px;text-align:left}}</style>
<h1 style="color:{colour}">{v["verdict"]}: {html.escape(session["plan"]["name"])}</h1>
<p>Session {session["session"]}, devices {", ".join(session["devices"])}, build
<code>{html.escape(session["build"]["build_fingerprint"])}</code>, {session["start"]} to
{session["end"]}.</p><h2>Reasons</h2><ul>{reasons}</ul>
<h2>Tests</h2><table><tr><th>test</th><th>result</th><th>device</th><th>requirements</th></tr>
{rows}</table>"""


def _digests(folder: Path) -> dict[str, str]:
    skip = {MANIFEST, SIGNATURE, SIGNER}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and str(p.relative_to(folder)) not in skip
    }


def sign(folder: Path, key: Ed25519PrivateKey, session: dict) -> str:
    from cryptography.hazmat.primitives import serialization

    manifest = {
        "files": _digests(folder),
        "build_fingerprint": session["build"]["build_fingerprint"],
        "plan_sha256": session["plan"]["sha256"],
        "lab_version": session["lab_version"],
        "key_id": key_id(key.public_key()),
        "verdict": session["verdict"]["verdict"],
    }
    body = json.dumps(manifest, indent=1, sort_keys=True).encode()
    (folder / MANIFEST).write_bytes(body)
    (folder / SIGNATURE).write_text(base64.b64encode(key.sign(body)).decode() + "\n")
    (folder / SIGNER).write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))  # fmt: skip
    return manifest["key_id"]


def signer_id(folder: Path) -> str:
    """The key id the bundle's manifest says it was signed with (not yet checked)."""
    try:
        return str(json.loads((folder / MANIFEST).read_text()).get("key_id", ""))
    except (OSError, ValueError):
        raise LabError(f"{folder}: no readable {MANIFEST}: not a certification bundle") from None


def verify(folder: Path, public_pem: bytes | None = None) -> tuple[list[str], str]:
    """(problems, key id). No problems: every file is as signed, by that key. Without
    `public_pem` the bundle's own signer.pub is used: that proves integrity, not who
    signed (the caller says so)."""
    if not (folder / MANIFEST).is_file():
        raise LabError(f"{folder}: no {MANIFEST}: not a certification bundle")
    body = (folder / MANIFEST).read_bytes()
    try:
        signature = base64.b64decode((folder / SIGNATURE).read_text())
    except (OSError, ValueError):
        return [f"{SIGNATURE}: missing or not base64"], ""
    key = load_public(public_pem if public_pem is not None else (folder / SIGNER).read_bytes(),
                      "the public key")  # fmt: skip
    problems = []
    try:
        key.verify(signature, body)
    except InvalidSignature:
        problems.append(f"{MANIFEST}: the signature does not match (edited, or another key)")
    manifest = json.loads(body)
    if manifest.get("key_id") != key_id(key):
        problems.append(f"{MANIFEST}: signed by key {manifest.get('key_id')}, not {key_id(key)}")
    now = _digests(folder)
    for name, digest in manifest["files"].items():
        if name not in now:
            problems.append(f"{name}: missing")
        elif now[name] != digest:
            problems.append(f"{name}: changed since it was signed")
    problems += [f"{name}: added after signing" for name in now if name not in manifest["files"]]
    return problems, key_id(key)
