"""Contributor → reviewer → public, in a real browser, with axe-core on every contributor page.

Runs against the server of ``suivi/browser.py`` filled as ``make run`` fills it (demo
accounts included). Screenshots at 1280 and 390 px go to ``SUIVI_SCREENSHOTS_DIR``.
"""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest

from suivi.browser import screenshot, serious_violations, visit

pytestmark = pytest.mark.browser

PREFECTURE = "prefecture-indre@demo.suivi.local"
REVIEWER = "relecture@demo.suivi.local"


def log_in(page, site, email: str) -> None:
    visit(page, site + "/espace/connexion/")
    page.fill("#id_username", email)
    page.fill("#id_password", site.password)
    page.click("button:has-text('Se connecter')")
    page.wait_for_url("**/espace/")


def log_out(page) -> None:
    page.locator("header button:has-text('Se déconnecter')").first.click()
    # The home page, not merely any address ending in "/" (the current one does too).
    page.wait_for_url(lambda url: urlparse(url).path == "/")


def check(page, name: str) -> None:
    assert serious_violations(page) == [], name
    assert page.errors == [], name
    screenshot(page, name)
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": 390, "height": 844})
    assert serious_violations(page) == [], f"{name} at 390 px"
    screenshot(page, f"390/{name}")  # looked at, not kept in the repository (see .gitignore)
    page.set_viewport_size({"width": width, "height": 900})


def test_a_value_goes_from_a_prefecture_to_the_public_through_a_reviewer(site, page):
    log_in(page, site, PREFECTURE)
    assert page.locator("h1").inner_text() == "Espace contributeur"
    assert "Indre" in page.locator("main").inner_text()
    check(page, "espace-contributeur")

    page.click("a:has-text('Saisir une valeur')")
    page.select_option(
        "#id_indicator",
        label="Un réseau des conservatoires pour la formation artistique des jeunes — "
        "Nouveaux orchestres créés (orchestres)",
    )
    page.fill("#id_territory", "Châteauroux")
    page.fill("#id_date", "12/2016")
    page.fill("#id_value", "3")
    page.fill("#id_source_url", "https://www.indre.gouv.fr/bilan-2016.pdf")
    page.fill("#id_source_quote", "trois orchestres à Châteauroux")
    check(page, "saisie-valeur")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_url("**/espace/valeurs/*/")
    item_url = page.url
    assert "brouillon" in page.locator("main").inner_text()
    page.click("button:has-text('Soumettre')")
    page.wait_for_load_state("networkidle")
    assert page.locator("main p.fr-badge").first.inner_text().lower() == "soumis"
    check(page, "valeur-soumise")
    log_out(page)

    public = site + "/territoires/com-36044/"
    visit(page, public)
    assert "Nouveaux orchestres" not in page.locator("main").inner_text()
    # The public page is now served from the cache (asked outside the browser's own HTTP cache,
    # which would revalidate it with a conditional GET and show the first answer's headers).
    assert page.request.get(public).headers.get("x-suivi-cache") == "hit"

    log_in(page, site, REVIEWER)
    page.click("a:has-text('Ouvrir la file de validation')")
    page.wait_for_url("**/espace/validation/")
    assert "Nouveaux orchestres créés — Châteauroux (36)" in page.locator("main").inner_text()
    check(page, "file-de-validation")
    page.goto(item_url)
    page.click("button:has-text('Valider')")
    page.wait_for_load_state("networkidle")
    page.click("button:has-text('Publier')")
    page.wait_for_load_state("networkidle")
    assert page.locator("main p.fr-badge").first.inner_text().lower() == "publié"
    check(page, "valeur-publiee")
    log_out(page)

    # Published: the cached page was dropped when the publication committed, so the very next
    # anonymous visit shows the value (no waiting), and is cached again.
    published = time.monotonic()
    visit(page, public)  # the browser revalidates its copy: the ETag changed, so it gets the new page
    assert "Nouveaux orchestres créés" in page.locator("main").inner_text()
    assert time.monotonic() - published < 5
    again = page.request.get(public)
    assert again.headers.get("x-suivi-cache") == "hit"
    assert "Nouveaux orchestres créés" in again.text()


def test_the_public_suggestion_form(site, page):
    visit(page, site + "/suggerer-une-initiative/")
    assert page.locator("h1").inner_text() == "Suggérer une initiative locale"
    assert page.locator("input[name=website]").bounding_box()["x"] < 0  # the honeypot is out of sight
    check(page, "suggestion")
    page.fill("#id_name", "Jeanne Citoyenne")
    page.fill("#id_email", "jeanne@example.org")
    page.fill("#id_title", "Chorale du quartier Saint-Jean")
    page.fill("#id_body", "Une chorale ouverte à tous les habitants.")
    page.fill("#id_place", "Vernouillet")
    page.select_option("#id_measure", index=1)
    page.click("button:has-text('Envoyer la suggestion')")
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert "Vernouillet (28)" in text and "Vernouillet (78)" in text
    page.fill("#id_place", "com:28404")
    page.click("button:has-text('Envoyer la suggestion')")
    page.wait_for_url("**merci=1")
    assert "Merci" in page.locator("main").inner_text()
