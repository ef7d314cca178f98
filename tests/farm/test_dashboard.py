"""The live dashboard in a real browser (Debian's chromium, driven by Playwright): devices
with health and lease, a state change pushed to the page without a reload, quarantine and
release from the page behind the token, thumbnails, and a run's progress."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright

from lab.farm.file_store import FileLeaseStore
from lab.farm.health import Health, HealthRecord
from tests.farm.dashboard import serve_dashboard
from tests.farm.pool import run_pool
from tests.virtual_farm import BASE

PORT = BASE + 38
URL = f"http://127.0.0.1:{PORT}"
CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="module")
def dashboard(pool, tmp_path_factory):
    token = tmp_path_factory.mktemp("dashboard") / "token"
    token.write_text("a-token-for-the-dashboard-test\n")
    server = serve_dashboard(pool.inventory, pool.env, PORT, "--token-file", str(token))
    yield token.read_text().strip()
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def page(dashboard):
    assert CHROMIUM, "chromium is installed by make (tools/debian-packages.txt)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(URL)
        page.wait_for_selector('tr[data-device="p-4"]', timeout=10_000)
        yield page
        browser.close()


def _store(pool) -> FileLeaseStore:
    return FileLeaseStore(Path(pool.inventory).parent / "leases")


def test_a_state_change_reaches_the_open_page_without_a_reload(pool, page):
    page.evaluate("window.loadedOnce = true")  # gone if the page were reloaded
    store = _store(pool)
    started = time.monotonic()
    store.set_health(HealthRecord("p-4", Health.MAINTENANCE, "measured change", "test"))
    page.wait_for_selector('tr[data-device="p-4"][data-health="maintenance"]', timeout=5_000)
    seconds = time.monotonic() - started
    shown = page.inner_text('tr[data-device="p-4"]')  # before the change back can arrive
    store.set_health(HealthRecord("p-4", Health.UNKNOWN, "back", "test"))
    assert page.evaluate("window.loadedOnce") is True
    assert "measured change" in shown
    print(f"state change shown after {seconds * 1000:.0f} ms")  # bench_farm measures it often


def test_quarantine_and_release_from_the_page_need_the_token(pool, page, dashboard):
    refused = httpx.post(f"{URL}/api/devices/p-3/quarantine", json={"why": "no token"})
    assert refused.status_code == 401 and _store(pool).health("p-3").state is not Health.MAINTENANCE
    unknown = httpx.post(f"{URL}/api/devices/p-9/quarantine", json={"why": "x"},
                         headers={"Authorization": f"Bearer {dashboard}"})  # fmt: skip
    assert unknown.status_code == 404 and "p-9" in unknown.json()["detail"]

    page.fill("#token", dashboard)
    page.dispatch_event("#token", "change")
    page.once("dialog", lambda dialog: dialog.accept("cracked screen"))
    page.click('tr[data-device="p-3"] button')
    page.wait_for_selector('tr[data-device="p-3"][data-health="maintenance"]', timeout=5_000)
    record = _store(pool).health("p-3")
    assert (record.state, record.why, record.by) == (Health.MAINTENANCE, "cracked screen",
                                                     "dashboard")  # fmt: skip
    page.click('tr[data-device="p-3"] button')  # now "release"
    page.wait_for_selector('tr[data-device="p-3"][data-health="unknown"]', timeout=5_000)
    assert dashboard not in page.content()  # the token stays in the field's value only


def test_thumbnails_and_a_runs_progress(pool, page, tmp_path):
    page.wait_for_function(
        """() => { const img = document.querySelector('tr[data-device="p-1"] img');
                   return img && img.complete && img.naturalWidth === 160; }""",
        timeout=20_000,
    )
    done = run_pool(pool, tmp_path / "reports", tests=4, workers=2)
    assert done.returncode == 0, done.stdout[-2000:]
    row = page.wait_for_selector('#runs tr[data-run]:has-text("finished")', timeout=10_000)
    cells = [c.inner_text().strip() for c in row.query_selector_all("td")]
    assert cells[2].endswith("4/4") and cells[3] == "4", cells
    page.screenshot(path=str(tmp_path / "dashboard.png"))
