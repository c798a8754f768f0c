"""A report read, reviewed and published, in a real browser: upload → draft → a figure accepted →
validated and published by the team → served by the public API with the report as its source."""

from __future__ import annotations

import subprocess
import sys

import pytest

from suivi.browser import MANAGE, _site_env, screenshot, serious_violations, visit
from suivi.contributions.tests.test_browser import REVIEWER, log_in
from suivi.extraction.tests.test_seed import SEED

pytestmark = pytest.mark.browser

INDICATOR = "ciec/mesures-judiciaires-alternatives-a-l-incarceration/conventions-nationales-tig"


def test_a_report_is_read_reviewed_and_published(site, page):
    log_in(page, site, REVIEWER)
    page.click("a:has-text('Lire un rapport')")
    page.wait_for_url("**/espace/ciec/lecture/")
    assert serious_violations(page) == []
    page.set_input_files("#id_file", str(SEED))
    page.click("button:has-text('Lire le rapport')")
    page.wait_for_url("**/espace/lectures/*/")
    draft_url = page.url
    assert "Lecture" in page.locator("main").inner_text()  # queued, the page follows the work

    # What `manage.py db_worker` does beside the server: read the report.
    subprocess.run(
        [sys.executable, MANAGE, "db_worker", "--batch", "--no-startup-delay"],
        env=_site_env(site.var),
        check=True,
        capture_output=True,
        timeout=120,
    )
    page.wait_for_selector("text=mesure (20)", timeout=15000)  # the page refreshed itself
    assert serious_violations(page) == []
    assert page.errors == []
    screenshot(page, "lecture-brouillon")

    page.click("a.fr-tag:has-text('chiffre')")
    row = page.locator("tr", has_text="« 9 conventions nationales »")
    row.get_by_role("link", name="Relire").click()
    page.wait_for_url("**/elements/*/")
    assert page.locator("blockquote").inner_text().startswith("« 9 conventions nationales")
    option = page.locator("#id_indicator option", has_text="Conventions nationales")
    page.select_option("#id_indicator", value=option.first.get_attribute("value"))
    assert page.input_value("#id_territory") == "fr"
    page.fill("#id_date", "2016")
    assert serious_violations(page) == []
    screenshot(page, "lecture-element")
    page.click("button:has-text('Accepter')")
    page.wait_for_url(draft_url + "*")
    assert "Valeur enregistrée" in page.locator("main").inner_text()

    public = site + f"/api/v1/observations?indicator={INDICATOR}&date_from=2016-01-01&date_to=2016-12-31"
    assert page.request.get(public).json()["count"] == 0  # not public before the team publishes it

    page.locator("tr", has_text="« 9 conventions nationales »").get_by_role("link", name="la valeur").click()
    page.wait_for_url("**/espace/valeurs/*/")
    # As if typed in the form: a draft of its author, submitted, then reviewed.
    assert page.locator("main p.fr-badge").first.inner_text().lower() == "brouillon"
    page.click("button:has-text('Soumettre')")
    page.wait_for_load_state("networkidle")
    page.click("button:has-text('Valider')")
    page.wait_for_load_state("networkidle")
    page.click("button:has-text('Publier')")
    page.wait_for_load_state("networkidle")
    assert page.locator("main p.fr-badge").first.inner_text().lower() == "publié"

    rows = page.request.get(public).json()["results"]
    assert [(r["value"], r["date"]) for r in rows] == [(9.0, "2016-01-01")]
    source = page.request.get(site + f"/api/v1/sources/{rows[0]['source']}").json()
    assert (source["line_start"], source["line_end"], source["page"]) == (27, 27, 1)
    assert "9 conventions nationales" in source["quote"]
    # The deposited file is the CIEC report itself (same SHA-256): the value cites that known document.
    assert source["document"]["title"].startswith("Comité interministériel à l’égalité et à la citoyenneté")
    visit(page, draft_url)
    assert page.errors == []
