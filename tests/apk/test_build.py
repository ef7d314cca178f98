"""`lab apk build` makes real APKs: apksigner verifies v1 and v2, androguard reads every
fact back, and one changed byte breaks the signature."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lab.apk.build import ApkBuildError, ApkSpec, build
from lab.apk.facts import ApkUnreadable, read_facts
from lab.apk.keys import SigningKey, lab_test_key, make_key
from lab.apk.signature import SignatureInvalid, verify

LAB = str(Path(sys.executable).with_name("lab"))


def flip_byte(apk: Path, entry: str, out: Path) -> Path:
    """A copy of `apk` with one byte of `entry`'s stored data changed."""
    data = bytearray(apk.read_bytes())
    with zipfile.ZipFile(apk) as archive:
        info = archive.getinfo(entry)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x01
    out.write_bytes(bytes(data))
    return out


def test_a_built_apk_verifies_and_reads_back(tmp_path):
    spec = ApkSpec(
        "com.example.hello",
        7,
        "1.7.0",
        "Hello 你好",
        features=("android.hardware.type.watch", "android.hardware.touchscreen"),
        permissions=("android.permission.INTERNET",),
        min_sdk=26,
        payload_bytes=200_000,
    )
    apk = build(spec, tmp_path / "hello.apk")
    signers = verify(apk, min_sdk=23)  # as a device before v2 existed: v1 is checked too
    assert signers.schemes == ("v1", "v2")
    assert signers.digests == (lab_test_key().digest(),)
    facts = read_facts(apk)
    assert (facts.package, facts.version_code, facts.version_name) == (
        "com.example.hello",
        7,
        "1.7.0",
    )
    assert facts.label == "Hello 你好"
    assert facts.features == ("android.hardware.touchscreen", "android.hardware.type.watch")
    assert facts.permissions == ("android.permission.INTERNET",)
    assert (facts.min_sdk, facts.target_sdk) == (26, 33)
    assert facts.launcher_activity == "android.app.Activity"
    assert facts.size > 200_000


@pytest.mark.parametrize("entry", ["AndroidManifest.xml", "assets/payload.bin"])
def test_one_changed_byte_breaks_the_signature(tmp_path, entry):
    apk = build(ApkSpec("com.example.tamper", 1, payload_bytes=4096), tmp_path / "ok.apk")
    bad = flip_byte(apk, entry, tmp_path / "bad.apk")
    with pytest.raises(SignatureInvalid, match=r"digest|DIGEST|did not verify|integrity"):
        verify(bad)


def test_unsigned_is_refused(tmp_path):
    apk = build(ApkSpec("com.example.plain", 1), tmp_path / "signed.apk")
    unsigned = tmp_path / "unsigned.apk"
    with zipfile.ZipFile(apk) as source, zipfile.ZipFile(unsigned, "w") as out:
        out.writestr("AndroidManifest.xml", source.read("AndroidManifest.xml"))
    with pytest.raises(SignatureInvalid):
        verify(unsigned)
    assert read_facts(unsigned).package == "com.example.plain"  # readable, just unsigned


def test_another_key_is_another_signer(tmp_path):
    other = make_key(tmp_path / "keys" / "dev", "Some Developer")
    assert oct(os.stat(other.key).st_mode & 0o777) == "0o600"
    apk = build(ApkSpec("com.example.other", 1), tmp_path / "o.apk", other)
    assert verify(apk).digests == (other.digest(),) != (lab_test_key().digest(),)


def test_bad_specs_say_what_to_fix(tmp_path):
    with pytest.raises(ApkBuildError, match="--package 'nodot'"):
        build(ApkSpec("nodot", 1), tmp_path / "x.apk")
    with pytest.raises(ApkBuildError, match="--min-sdk 40"):
        build(ApkSpec("a.b", 1, min_sdk=40), tmp_path / "x.apk")
    assert not (tmp_path / "x.apk").exists()
    with pytest.raises(ApkUnreadable):
        read_facts(Path(__file__))


def lab(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([LAB, *args], capture_output=True, text=True, timeout=120)


def test_the_cli_builds_inspects_and_makes_keys(tmp_path):
    done = lab("apk", "keygen", str(tmp_path / "k" / "studio"), "--subject", "Studio")
    assert done.returncode == 0, done.stderr
    key = SigningKey.at(tmp_path / "k" / "studio")
    out = tmp_path / "tv.apk"
    done = lab(
        "apk", "build", "--package", "com.studio.tv", "--version-code", "3",
        "--version-name", "3.0", "--label", "Studio TV", "--feature",
        "android.software.leanback", "--key", str(tmp_path / "k" / "studio"), "-o", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "signed (v1, v2)" in done.stdout
    shown = json.loads(lab("apk", "inspect", str(out)).stdout)
    assert shown["package"] == "com.studio.tv" and shown["version_code"] == 3
    assert shown["features"] == ["android.software.leanback"]
    assert shown["signers"] == [key.digest()]
    # apksigner itself, as a user would run it
    said = subprocess.run(["apksigner", "verify", "--print-certs", str(out)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert said.returncode == 0 and key.digest() in said.stdout


def test_cli_mistakes_are_clear(tmp_path):
    done = lab("apk", "build", "--package", "x", "--version-code", "1", "-o", str(tmp_path / "a"))
    assert done.returncode == 2 and "expected a Java-style name" in done.stderr
    done = lab("apk", "build", "--package", "a.b", "--version-code", "1", "--key",
               str(tmp_path / "none"), "-o", str(tmp_path / "a"))  # fmt: skip
    assert done.returncode == 2 and "lab apk keygen" in done.stderr
    done = lab("apk", "keygen", str(tmp_path / "dup"))
    assert lab("apk", "keygen", str(tmp_path / "dup")).returncode == 2
    assert "Traceback" not in done.stderr
