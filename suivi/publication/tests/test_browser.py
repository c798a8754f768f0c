"""The pages that matter, in a real browser: Debian's Chromium driven by Playwright.

A real server (``manage.py runserver``) runs on its own SQLite database, filled the
way ``make run`` fills it. Each page is checked for what it shows, that its charts
and maps render, and with axe-core for accessibility (no serious or critical
violation). Set ``SUIVI_SCREENSHOTS_DIR`` to keep a screenshot of each page
(``make screenshots`` writes them to docs/screenshots/).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from suivi.browser import MANAGE, _site_env, free_port, screenshot, serious_violations, visit, wait_for

pytestmark = pytest.mark.browser


def test_the_home_page(site, page):
    visit(page, site + "/")
    assert page.locator("h1").inner_text().startswith("La République en actes")
    assert page.locator(".fr-tile").count() == 3
    assert page.get_by_text("7\u00a0000\u00a0démolitions").is_visible()
    assert serious_violations(page) == []
    assert page.errors == []
    screenshot(page, "accueil")


def at(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900 if width > 390 else 844})


def fits(page) -> None:
    """Nothing makes the page scroll sideways (a wide table scrolls inside its own frame)."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def shot(page, name: str, width: int) -> None:
    screenshot(page, name if width == 1280 else f"{width}/{name}")


WIDTHS = pytest.mark.parametrize("width", [1280, 390])


@WIDTHS
def test_a_measure_page_draws_its_gauge_history_and_map(site, page, width):
    at(page, width)
    visit(page, site + "/programmes/ciec/mesures/reseau-des-conservatoires/")
    assert page.locator("h1").inner_text().startswith("Un réseau des conservatoires")
    page.wait_for_selector("gauge-chart .jauge-fill", state="attached")
    assert page.locator("gauge-chart .jauge-fill").first.get_attribute("style") == "width: 63%;"
    assert page.locator("figure.suivi-map svg path").count() > 90
    assert page.locator("figure.suivi-map").is_visible()
    fits(page)
    assert serious_violations(page) == []
    assert page.errors == []
    shot(page, "mesure", width)


def test_a_measure_with_a_history_draws_a_line_chart(site, page):
    visit(page, site + "/programmes/ciec/mesures/lutte-contre-le-decrochage-scolaire/")
    assert page.locator("#indicateur-structures-de-retour-a-l-ecole").is_visible()
    page.wait_for_selector("#indicateur-structures-de-retour-a-l-ecole line-chart canvas", state="attached")
    assert serious_violations(page) == []


@WIDTHS
def test_a_departement_page_draws_its_region(site, page, width):
    at(page, width)
    visit(page, site + "/territoires/dep-28/")
    assert page.locator("h1").inner_text() == "Eure-et-Loir"
    # Its région, framed, the département itself outlined; no "Localisation" of another one.
    current = page.locator("figure.suivi-map path.suivi-map__current")
    assert current.count() == 1
    assert current.locator("title").text_content() == "Eure-et-Loir (28) : 1 initiative locale"
    assert page.locator("figure.suivi-map a").count() == 6
    assert "Localisation" not in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Dreux et Vernouillet").count() == 1
    fits(page)
    assert serious_violations(page) == []
    assert page.errors == []
    shot(page, "departement", width)


def test_the_search_page_highlights_what_it_found(site, page):
    visit(page, site + "/")
    page.fill("#header-search-input", "decrochage")
    page.press("#header-search-input", "Enter")
    page.wait_for_url("**/recherche/?q=decrochage")
    assert page.locator("mark").first.inner_text() == "décrochage"
    assert page.locator("li.search-result").count() == 2
    assert serious_violations(page) == []
    screenshot(page, "recherche")


@WIDTHS
def test_the_map_of_initiatives(site, page, width):
    at(page, width)
    visit(page, site + "/carte/")
    assert page.locator("figure.suivi-map .suivi-map__main path").count() == 96
    # The overseas départements' names do not run into each other, even on a phone.
    boxes = [page.locator(".suivi-map__overseas li span").nth(i).bounding_box() for i in range(5)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
            assert apart or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"], (a, b)
    fits(page)
    assert serious_violations(page) == []
    assert page.errors == []
    shot(page, "carte", width)
    page.select_option("#map-measure", "scolarisation-precoce")
    page.click("button:has-text('Afficher')")
    page.wait_for_url("**mesure=scolarisation-precoce**")
    assert "2 initiatives locales" in page.locator("main").inner_text()
    # A département on the map leads to its page, at its initiatives.
    page.locator('figure.suivi-map a[href="/territoires/dep-95/#initiatives-title"]').click()
    page.wait_for_url("**/territoires/dep-95/#initiatives-title")
    assert page.locator("#initiatives-title").is_visible()


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


@WIDTHS
def test_the_open_data_page(site, page, width):
    at(page, width)
    visit(page, site + "/donnees/")
    assert page.locator("h1").inner_text() == "Données ouvertes"
    fits(page)
    assert serious_violations(page) == []
    shot(page, "donnees", width)
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").first.click()
    assert download.value.suggested_filename == "ciec-axes.xlsx"


def test_the_api_documentation(site, page):
    visit(page, site + "/api/v1/docs")
    assert page.locator("h1").inner_text() == "Documentation de l’API"
    assert serious_violations(page) == []


@WIDTHS
def test_the_404_page(site, page, width):
    at(page, width)
    response = page.goto(site + "/nulle-part/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page non trouvée"
    fits(page)
    assert serious_violations(page) == []
    shot(page, "404", width)


@WIDTHS
def test_a_source_page(site, page, width):
    at(page, width)
    visit(page, site + "/programmes/ciec/sources/rapport-ciec-2017/#ligne-200")
    assert page.locator("#ligne-200 mark").count() == 1
    fits(page)
    assert serious_violations(page) == []
    shot(page, "source", width)


def test_the_static_export_serves_pages_charts_and_search_without_django(site, page, tmp_path):
    folder = tmp_path / "export"
    subprocess.run(
        [sys.executable, str(MANAGE), "export_site", str(folder), "-v", "0"], env=_site_env(site.var), check=True
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    static = f"http://127.0.0.1:{port}"
    try:
        wait_for(static + "/")
        visit(page, static + "/programmes/ciec/mesures/reseau-des-conservatoires/")
        page.wait_for_selector("gauge-chart .jauge-fill", state="attached")
        visit(page, static + "/recherche/?q=chateauroux")
        results = page.locator("main section[aria-live] li a")
        results.first.wait_for()
        assert "Châteauroux" in page.locator("main section[aria-live]").inner_text()
        results.first.click()
        page.wait_for_load_state("networkidle")
        assert "Châteauroux" in page.locator("h1").inner_text()
        assert serious_violations(page) == []
        assert page.errors == []
    finally:
        server.terminate()
        server.wait(timeout=10)
