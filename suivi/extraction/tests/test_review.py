"""Deposit a report, let the worker read it, review its items: accepted figures go through the write path."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from suivi.catalogue.models import Programme
from suivi.contributions.models import RoleKind
from suivi.contributions.workflow import Status
from suivi.extraction.models import Decision, DraftItem, DraftState, ExtractionDraft
from suivi.extraction.tests.test_seed import SEED
from suivi.factories import RoleFactory, UserFactory
from suivi.imports.tests.test_upload_page import work
from suivi.indicators.models import Indicator, Observation
from suivi.sources.models import ChangeSet

# The CIEC, loaded once for the module (conftest.py): its headings match its measures.
pytestmark = pytest.mark.usefixtures("ciec_for_module")


class ReviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.programme = Programme.objects.get(slug="ciec")
        cls.indicator = Indicator.objects.get(slug="conventions-nationales-tig")
        cls.team = UserFactory(username="equipe")
        RoleFactory(user=cls.team, kind=RoleKind.REVIEWER, programme=cls.programme)
        cls.prefecture = UserFactory(username="prefecture-indre")
        RoleFactory(user=cls.prefecture, programme=cls.programme, territories=["dep:36"])
        cls.outsider = UserFactory(username="ailleurs")

    def deposit(self, user, name="rapport-ciec-2017.txt", content=None):
        self.client.force_login(user)
        upload = SimpleUploadedFile(name, content if content is not None else SEED.read_bytes())
        response = self.client.post(f"/espace/{self.programme.slug}/lecture/", {"file": upload})
        self.assertEqual(response.status_code, 302, response.content.decode()[-1500:])
        return ExtractionDraft.objects.get(pk=response["Location"].rstrip("/").split("/")[-1]), response["Location"]

    def test_a_report_is_read_in_the_background_and_listed_by_type(self):
        draft, url = self.deposit(self.prefecture)
        self.assertContains(self.client.get(url), 'http-equiv="refresh"')
        work()
        draft.refresh_from_db()
        self.assertEqual((draft.state, draft.percent, str(draft.document_date)), (DraftState.READY, 100, "2017-01-01"))
        page = self.client.get(url)
        self.assertNotContains(page, 'http-equiv="refresh"')
        self.assertContains(page, "mesure (20)")
        self.assertContains(page, "« 7 000 démolitions »")
        figures = self.client.get(url, {"type": "quantity"})
        self.assertContains(figures, "« plus de 800 personnes »")
        self.assertNotContains(figures, "« 10 octobre dernier »")
        self.assertEqual(draft.items.filter(kind="measure").count(), 20)
        self.assertFalse(
            Observation.objects.filter(indicator=self.indicator)
            .exclude(source__document__slug="rapport-ciec-2017")
            .exists()
        )

    def test_an_accepted_figure_becomes_a_value_waiting_for_review_with_the_report_as_source(self):
        draft, url = self.deposit(self.team)
        work()
        item = draft.items.get(kind="quantity", data__value="9")
        page = self.client.get(f"{url}elements/{item.position}/")
        self.assertContains(page, "<mark>")  # the passage, cited lines marked
        self.assertContains(page, 'value="fr"')  # the suggested territory
        change_sets = ChangeSet.objects.count()
        response = self.client.post(
            f"{url}elements/{item.position}/",
            {"indicator": self.indicator.pk, "territory": "fr", "date": "2016", "value": "9", "qualifier": "exact"},
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[-2000:])
        item.refresh_from_db()
        value = item.observation
        self.assertEqual((item.decision, item.decided_by), (Decision.ACCEPTED, self.team))
        self.assertEqual(
            (value.indicator, value.territory_id, str(value.date), value.value), (self.indicator, "fr", "2016-01-01", 9)
        )
        self.assertNotEqual(value.status, Status.PUBLISHED)
        self.assertEqual(ChangeSet.objects.count(), change_sets + 1)
        source = value.source
        self.assertEqual(source.document.sha256, draft.sha256)
        self.assertEqual((source.line_start, source.line_end, source.page), (27, 27, 1))
        self.assertIn("9 conventions nationales", source.quote)
        draft.refresh_from_db()
        self.assertEqual(draft.document, source.document)
        # Decided once: the same item cannot be accepted again.
        again = self.client.post(
            f"{url}elements/{item.position}/",
            {"indicator": self.indicator.pk, "territory": "fr", "date": "2016", "value": "9", "qualifier": "exact"},
        )
        self.assertEqual(again.status_code, 200)
        self.assertEqual(Observation.objects.filter(indicator=self.indicator, date="2016-01-01").count(), 1)

    def test_a_contributor_cannot_accept_a_figure_outside_its_territory(self):
        draft, url = self.deposit(self.prefecture)
        work()
        item = draft.items.get(kind="quantity", data__value="9")
        response = self.client.post(
            f"{url}elements/{item.position}/",
            {"indicator": self.indicator.pk, "territory": "fr", "date": "2016", "value": "9", "qualifier": "exact"},
        )
        self.assertEqual(response.status_code, 403)
        item.refresh_from_db()
        self.assertEqual((item.decision, item.observation), (Decision.PENDING, None))
        self.assertFalse(Observation.objects.filter(indicator=self.indicator, date="2016-01-01").exists())

    def test_other_items_are_kept_or_rejected_once(self):
        draft, url = self.deposit(self.prefecture)
        work()
        date = draft.items.filter(kind="date").first()
        self.client.post(f"{url}elements/{date.position}/decision/", {"decision": "rejected"})
        date.refresh_from_db()
        self.assertEqual((date.decision, date.decided_by), (Decision.REJECTED, self.prefecture))
        response = self.client.post(f"{url}elements/{date.position}/decision/", {"decision": "accepted"}, follow=True)
        self.assertContains(response, "Cet élément a déjà été traité.")
        figure = draft.items.filter(kind="quantity").first()
        self.client.post(f"{url}elements/{figure.position}/decision/", {"decision": "accepted"})
        figure.refresh_from_db()
        self.assertEqual(figure.decision, Decision.PENDING)  # a figure is accepted from its page, with an indicator

    def test_a_draft_is_its_authors_and_the_teams_only(self):
        _draft, url = self.deposit(self.prefecture)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(f"/espace/{self.programme.slug}/lecture/").status_code, 403)
        self.client.force_login(self.team)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_bad_files_are_refused_or_fail_with_their_reason(self):
        self.client.force_login(self.prefecture)
        upload = SimpleUploadedFile("rapport.docx", b"PK\x03\x04")
        response = self.client.post(f"/espace/{self.programme.slug}/lecture/", {"file": upload})
        self.assertContains(response, "rapport.docx : format non accepté (PDF ou texte).")
        self.assertFalse(ExtractionDraft.objects.exists())
        draft, url = self.deposit(self.prefecture, "scan.pdf", b"%PDF-1.4 not a real pdf")
        work()
        draft.refresh_from_db()
        self.assertEqual(draft.state, DraftState.FAILED)
        page = self.client.get(url)
        self.assertContains(page, "scan.pdf : PDF illisible")
        self.assertNotContains(page, "/media/")
        self.assertFalse(DraftItem.objects.filter(draft=draft).exists())
