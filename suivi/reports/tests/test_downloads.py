"""Report downloads on the public pages: made in the background once per version of the data,
served from the file while the data stays the same, made again after a change."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.test import TestCase, override_settings

from suivi.contributions.models import RoleKind
from suivi.factories import InitiativeFactory, ObservationFactory, RoleFactory
from suivi.imports.tests.test_upload_page import work
from suivi.indicators.services import ValueInput, save_value
from suivi.reports.models import DataVersion, ReportFile, ReportState


class DownloadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.value = ObservationFactory(
            indicator__name="Jeunes accompagnés", indicator__unit="jeunes", value=Decimal(1200)
        )
        cls.indicator = cls.value.indicator
        cls.measure = cls.indicator.measure
        cls.programme = cls.measure.programme
        cls.initiative = InitiativeFactory(
            programme=cls.programme,
            title="Un chantier école à Châteauroux",
            measures=[cls.measure],
            territories=["com:36044"],
        )
        cls.reviewer = RoleFactory(kind=RoleKind.REVIEWER, programme=cls.programme).user

    def setUp(self):
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        self.media = Path(media.name)
        overridden = override_settings(MEDIA_ROOT=self.media)
        overridden.enable()
        self.addCleanup(overridden.disable)
        self.url = f"/programmes/{self.programme.slug}/rapport/"

    def get(self, url, query=None):
        """A GET whose commit hooks run (a TestCase never commits): the queued task is really enqueued."""
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.get(url, query)

    def test_the_first_download_is_made_in_the_background_while_a_page_shows_progress(self):
        response = self.get(self.url, {"format": "pdf"})
        self.assertEqual(response.status_code, 202)
        self.assertContains(response, 'http-equiv="refresh"', status_code=202)
        self.assertContains(response, "<progress", status_code=202)
        self.assertContains(response, "En attente", status_code=202)
        work()
        response = self.get(self.url, {"format": "pdf"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["Content-Disposition"], f'inline; filename="rapport-{self.programme.slug}.pdf"')
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF-"))
        # Served again from the same file: nothing new is made while the data stays the same.
        self.assertEqual(self.get(self.url, {"format": "pdf"}).status_code, 200)
        self.assertEqual(ReportFile.objects.count(), 1)

    def test_a_change_in_the_data_makes_the_report_again(self):
        self.get(self.url, {"format": "html"})
        work()
        first = b"".join(self.get(self.url, {"format": "html"}).streaming_content).decode()
        self.assertIn("1\u00a0200\u00a0jeunes", first)
        version = DataVersion.of(self.programme.slug)
        save_value(
            self.reviewer,
            ValueInput(self.indicator, self.value.territory, self.value.date, Decimal(1350)),
            observation=self.value,
            expected_version=self.value.version,
        )
        self.assertEqual(DataVersion.of(self.programme.slug), version + 1)
        self.assertEqual(self.get(self.url, {"format": "html"}).status_code, 202)
        work()
        second = b"".join(self.get(self.url, {"format": "html"}).streaming_content).decode()
        self.assertIn("1\u00a0350\u00a0jeunes", second)
        self.assertNotIn("1\u00a0200\u00a0jeunes", second)
        # The out-of-date file is gone; one file per report.
        self.assertEqual(ReportFile.objects.count(), 1)
        self.assertEqual(len(list(self.media.rglob("*.html"))), 1)

    def test_a_report_that_cannot_be_made_says_so_and_is_tried_again_on_request(self):
        self.get(self.url, {"format": "pdf"})
        with mock.patch("suivi.reports.render.pdf", side_effect=OSError("disque plein")):
            work()
        response = self.get(self.url, {"format": "pdf"})
        self.assertContains(response, "Le rapport n’a pas pu être produit.")
        self.assertContains(response, "disque plein")
        self.assertNotContains(response, 'http-equiv="refresh"')
        self.assertEqual(list(self.media.rglob("*.pdf")), [])  # no half-written file left
        # Reloading shows the failure again; the "Réessayer" button queues the report again.
        self.assertContains(self.get(self.url, {"format": "pdf"}), "disque plein")
        self.assertContains(response, f"{self.url}?format=pdf&amp;reessayer=1")
        retried = self.get(self.url, {"format": "pdf", "reessayer": "1"})
        self.assertRedirects(retried, f"{self.url}?format=pdf", target_status_code=202)
        self.assertEqual(ReportFile.objects.get().state, ReportState.QUEUED)
        work()
        self.assertEqual(self.get(self.url, {"format": "pdf"}).status_code, 200)

    def test_scopes_and_formats_that_do_not_exist_are_not_found(self):
        for query in (
            {"format": "docx"},
            {"format": "pdf", "axe": "inconnu"},
            {"format": "pdf", "territoire": "dep:999"},
        ):
            self.assertEqual(self.get(self.url, query).status_code, 404, query)
        self.assertEqual(self.get("/programmes/inconnu/rapport/", {"format": "pdf"}).status_code, 404)
        self.assertFalse(ReportFile.objects.exists())

    def test_public_pages_link_to_their_reports(self):
        slug = self.programme.slug
        page = self.client.get(f"/programmes/{slug}/").content.decode()
        self.assertIn(f'href="/programmes/{slug}/rapport/?format=pdf"', page)
        self.assertIn(f'href="/programmes/{slug}/rapport/?format=html"', page)
        page = self.client.get(f"/programmes/{slug}/mesures/{self.measure.slug}/").content.decode()
        self.assertIn(f"/programmes/{slug}/rapport/?format=pdf&amp;mesure={self.measure.slug}", page)
        page = self.client.get("/territoires/dep-36/").content.decode()
        self.assertIn(f"/programmes/{slug}/rapport/?format=pdf&amp;territoire=dep%3A36", page)
        # A territory with nothing from the programme offers no report of it.
        page = self.client.get("/territoires/dep-13/").content.decode()
        self.assertNotIn(f"/programmes/{slug}/rapport/", page)

    def test_the_territory_report_holds_the_initiatives_placed_below_it(self):
        self.get(self.url, {"format": "html", "territoire": "dep:36"})
        work()
        response = self.get(self.url, {"format": "html", "territoire": "dep-36"})
        text = b"".join(response.streaming_content).decode()
        self.assertIn("Un chantier école à Châteauroux", text)
        self.assertIn("Territoire : Indre (36)", text)
        self.get(self.url, {"format": "html", "territoire": "dep:13"})
        work()
        text = b"".join(self.get(self.url, {"format": "html", "territoire": "dep:13"}).streaming_content).decode()
        self.assertNotIn("Châteauroux", text)
        self.assertIn("le rapport est vide", text)

    def test_the_html_report_may_use_its_own_inline_style_and_fonts_and_nothing_more(self):
        self.get(self.url, {"format": "html"})
        work()
        policy = self.get(self.url, {"format": "html"})["Content-Security-Policy"]
        self.assertIn("style-src 'self' 'unsafe-inline'", policy)
        self.assertIn("font-src 'self' data:", policy)
        self.assertIn("script-src 'self'", policy)
