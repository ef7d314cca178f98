"""An upload is bounded before it is read: its declared size over the cap is refused at
once, a zip bomb is refused from its central directory before anything inflates it, and
an upload refused for any reason leaves no file behind."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import uuid
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest

from lab.apk.build import ApkSpec, build
from lab.cloud.http import ApiRefused

MiB = 1 << 20


@pytest.fixture
def studio(store):
    developer = store.developer(f"Studio {uuid.uuid4().hex[:6]}")
    package = f"com.studio.up{uuid.uuid4().hex[:6]}"
    developer.create_app(package, "Up")
    return developer, package


@pytest.fixture
def blobs(home) -> Path:
    return Path(home.env["LAB_RUNTIME_DIR"]) / "services" / "store-apks"


def _store_process(home) -> psutil.Process:
    done = home.lab("services", "status", "--json", "--inventory", str(home.inventory))
    [row] = [s for s in json.loads(done.stdout)["services"] if s["name"] == "store"]
    return psutil.Process(row["pid"])


def _peak_rss(pid: int) -> int:
    """The process's peak resident set since its last reset (VmHWM), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmHWM for pid {pid}")


def zip_bomb(inflated: int) -> bytes:
    """A manifest of `inflated` zero bytes, deflated (about 1000x smaller)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("AndroidManifest.xml", "w", force_zip64=True) as entry,
    ):
        zeros = bytes(MiB)
        for _ in range(inflated // MiB):
            entry.write(zeros)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_anything_inflates_it(store, studio, home):
    developer, package = studio
    bomb = zip_bomb(236 * MiB)
    assert len(bomb) < 300_000
    process = _store_process(home)
    before = process.memory_info().rss
    Path(f"/proc/{process.pid}/clear_refs").write_text("5")  # the peak starts again from now
    with pytest.raises(ApiRefused) as refused:
        developer.upload(package, bomb)
    assert (refused.value.status, refused.value.code) == (400, "apk_refused"), refused.value
    assert "AndroidManifest.xml" in refused.value.message
    peak = _peak_rss(process.pid) - before  # inflating it held hundreds of MiB, if briefly
    assert peak < 32 * MiB, f"the store's peak grew by {peak / MiB:.0f} MiB"


def test_an_upload_declared_over_the_cap_is_refused_at_once(store, studio):
    developer, package = studio
    key = developer.api._http.headers["Authorization"]
    parts = urlsplit(store.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(
            b"POST /v1/developer/apps/%s/versions HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\n"
            b"Content-Length: %d\r\n\r\n" % (package.encode(), key.encode(), 201 * MiB)
        )
        answer = conn.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 413"), answer


def test_a_refused_upload_leaves_no_file(store, studio, make_apk, keys, blobs, tmp_path):
    developer, package = studio
    developer.upload(package, make_apk(package, 1))
    older = tmp_path / "older.apk"  # other bytes, the same versionCode
    build(ApkSpec(package, 1, version_name="again"), older, keys["dev"])
    before = sorted(p.name for p in blobs.iterdir())
    refusals = {
        "apk_package_mismatch": make_apk(f"{package}x", 2),
        "apk_signer_mismatch": make_apk(package, 2, key="other"),
        "version_code_not_newer": older,
    }
    for code, apk in refusals.items():
        with pytest.raises(ApiRefused) as refused:
            developer.upload(package, apk)
        assert refused.value.code == code
        digest = hashlib.sha256(Path(apk).read_bytes()).hexdigest()
        assert not (blobs / f"{digest}.apk").exists(), code
    assert sorted(p.name for p in blobs.iterdir()) == before
