"""The pages that matter, in a real browser: Debian's Chromium driven by Playwright.

A real server (``manage.py runserver``) runs on its own SQLite database, filled the
way ``make run`` fills it. Each page is checked for what it shows, that its charts
and maps render, and with axe-core for accessibility (no serious or critical
violation). Set ``SUIVI_SCREENSHOTS_DIR`` to keep a screenshot of each page
(``make screenshots`` writes them to docs/screenshots/).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js"
MANAGE = Path(settings.BASE_DIR) / "manage.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The base URL of a server holding the territories and the CIEC programme."""
    var = tmp_path_factory.mktemp("site")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env |= {"SUIVI_VAR_DIR": str(var), "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1"}
    for command in (["migrate", "--no-input"], ["load_territories"], ["load_programme", "ciec"]):
        subprocess.run([sys.executable, MANAGE, *command, "-v", "0"], env=env, check=True, timeout=300)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 3)
        }))"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page, name: str) -> None:
    folder = os.environ.get("SUIVI_SCREENSHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")


def test_the_home_page(site, page):
    visit(page, site + "/")
    assert page.locator("h1").inner_text().startswith("La République en actes")
    assert page.locator(".fr-tile").count() == 3
    assert page.get_by_text("7\u00a0000\u00a0démolitions").is_visible()
    assert serious_violations(page) == []
    assert page.errors == []
    screenshot(page, "accueil")


def test_a_measure_page_draws_its_gauge_history_and_map(site, page):
    visit(page, site + "/programmes/ciec/mesures/reseau-des-conservatoires/")
    assert page.locator("h1").inner_text().startswith("Un réseau des conservatoires")
    page.wait_for_selector("gauge-chart .jauge-fill", state="attached")
    assert page.locator("gauge-chart .jauge-fill").first.get_attribute("style") == "width: 63%;"
    page.wait_for_selector("map-chart svg path", state="attached")
    assert page.locator("map-chart svg path").count() > 90
    assert serious_violations(page) == []
    assert page.errors == []
    screenshot(page, "mesure")


def test_a_measure_with_a_history_draws_a_line_chart(site, page):
    visit(page, site + "/programmes/ciec/mesures/lutte-contre-le-decrochage-scolaire/")
    assert page.locator("#indicateur-structures-de-retour-a-l-ecole").is_visible()
    page.wait_for_selector("#indicateur-structures-de-retour-a-l-ecole line-chart canvas", state="attached")
    assert serious_violations(page) == []


def test_a_departement_page_draws_its_region(site, page):
    visit(page, site + "/territoires/dep-28/")
    assert page.locator("h1").inner_text() == "Eure-et-Loir"
    page.wait_for_selector("map-chart-reg svg path", state="attached")
    assert page.get_by_role("link", name="Dreux et Vernouillet").count() == 1
    assert serious_violations(page) == []
    assert page.errors == []
    screenshot(page, "departement")


def test_the_search_page_highlights_what_it_found(site, page):
    visit(page, site + "/")
    page.fill("#header-search-input", "decrochage")
    page.press("#header-search-input", "Enter")
    page.wait_for_url("**/recherche/?q=decrochage")
    assert page.locator("mark").first.inner_text() == "décrochage"
    assert page.locator("li.search-result").count() == 2
    assert serious_violations(page) == []
    screenshot(page, "recherche")


def test_the_map_of_initiatives(site, page):
    visit(page, site + "/carte/")
    page.wait_for_selector("map-chart svg path", state="attached")
    page.select_option("#map-measure", "scolarisation-precoce")
    page.click("button:has-text('Afficher')")
    page.wait_for_url("**mesure=scolarisation-precoce**")
    assert "2 initiatives locales" in page.locator("main").inner_text()
    assert serious_violations(page) == []
    screenshot(page, "carte")


def test_pages_work_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/programmes/ciec/mesures/reseau-des-conservatoires/")
    page.click("summary:has-text('Données de la carte')")
    assert page.get_by_role("link", name="Gironde (33)").is_visible()
    page.goto(site + "/recherche/?q=chateauroux")
    assert page.locator("li.search-result").first.inner_text().find("Châteauroux") >= 0
    context.close()


def test_the_first_tab_reaches_the_skip_link(site, page):
    visit(page, site + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Contenu"


def test_the_open_data_page(site, page):
    visit(page, site + "/donnees/")
    assert page.locator("h1").inner_text() == "Données ouvertes"
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").first.click()
    assert download.value.suggested_filename == "ciec-axes.xlsx"
    assert serious_violations(page) == []
