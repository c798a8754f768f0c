"""Every kind of item a report proposes is written through the service its form would use:
targets, amounts, partners, initiatives at a place, new measures; rights checked, history kept,
the document cited, nothing half-written when the writer may not."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from suivi.catalogue.models import Measure, Programme
from suivi.contributions.models import RoleKind
from suivi.contributions.recording import change
from suivi.contributions.workflow import Status
from suivi.extraction import services
from suivi.extraction.models import Decision, ExtractionDraft
from suivi.extraction.tests.test_seed import SEED
from suivi.extraction.views import PER_PAGE, _measure_above, back_to
from suivi.factories import RoleFactory, UserFactory
from suivi.indicators.models import Indicator
from suivi.initiatives.models import Funding, Initiative, Organisation
from suivi.sources.models import ChangeSet, Origin, SourceDocument
from suivi.sources.services import _store

pytestmark = pytest.mark.usefixtures("ciec_for_module")


def read_draft(programme, author, name: str, content: bytes) -> ExtractionDraft:
    """A draft read as the worker reads it (``services.run``), without the queue."""
    sha, relative = _store(SimpleUploadedFile(name, content), Path(name).suffix)
    draft = ExtractionDraft.objects.create(
        programme=programme,
        author=author,
        name=name,
        path=str(Path(settings.MEDIA_ROOT) / relative.removeprefix("media:")),
        sha256=sha,
        size=len(content),
    )
    services.run(draft)
    draft.refresh_from_db()
    return draft


class AcceptTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.programme = Programme.objects.get(slug="ciec")
        cls.team = UserFactory(username="equipe-lecture")
        RoleFactory(user=cls.team, kind=RoleKind.EDITOR, programme=cls.programme)
        cls.prefecture = UserFactory(username="prefecture-eure-et-loir")
        RoleFactory(user=cls.prefecture, programme=cls.programme, territories=["dep:28"])
        cls.draft = read_draft(cls.programme, cls.team, "rapport-ciec-2017.txt", SEED.read_bytes())
        cls.url = f"/espace/lectures/{cls.draft.pk}/"
        # A contributor sees and reviews its own drafts only.
        cls.own = read_draft(cls.programme, cls.prefecture, "rapport-ciec-2017.txt", SEED.read_bytes())

    def item(self, kind: str, line: int, draft=None, **data):
        draft = draft or self.draft
        items = [i for i in draft.items.filter(kind=kind, line_start=line) if data.items() <= i.data.items()]
        self.assertEqual(len(items), 1, [(i.kind, i.data) for i in draft.items.filter(line_start=line)])
        return items[0]

    def post(self, user, item, fields: dict):
        self.client.force_login(user)
        return self.client.post(f"/espace/lectures/{item.draft_id}/elements/{item.position}/", fields)

    def assert_cites_report(self, locator, item):
        self.assertEqual(locator.document.sha256, self.draft.sha256)
        self.assertEqual((locator.line_start, locator.line_end), (item.line_start, item.line_end))
        self.assertEqual(locator.quote, item.quote)

    def test_a_target_replaces_the_indicators_target_and_cites_the_report(self):
        item = self.item("target", 200, value="30")
        indicator = Indicator.objects.get(slug="nouveaux-orchestres")
        self.client.force_login(self.team)
        page = self.client.get(f"{self.url}elements/{item.position}/")
        self.assertContains(page, "En faire l’objectif d’un indicateur")
        self.assertContains(page, "atteindre 30 orchestres — échéance 2018")  # French, not the codes
        self.assertNotContains(page, "level 30")
        self.assertContains(page, f'<option value="{indicator.pk}" selected>')  # the only one under its heading
        self.assertContains(page, 'value="2018"')
        history = indicator.history.count()
        response = self.post(
            self.team,
            item,
            {
                "indicator": indicator.pk,
                "mode": "level",
                "value": "35",
                "deadline": "12/2018",
                "sentence": "35",
            },
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[-1500:])
        indicator.refresh_from_db()
        self.assertEqual(
            (indicator.target_value, str(indicator.target_deadline), indicator.target_precision),
            (35, "2018-12-01", "month"),
        )
        self.assertIsNone(indicator.target_increment)
        self.assertEqual(indicator.target_sentence, "35")
        self.assert_cites_report(indicator.target_source, item)
        self.assertEqual(indicator.history.count(), history + 1)
        self.assertEqual(indicator.history.first().change_set.reason, "objectif lu dans « rapport-ciec-2017.txt »")
        item.refresh_from_db()
        self.assertEqual((item.decision, item.result), (Decision.ACCEPTED, indicator))
        listing = self.client.get(self.url, {"type": "target"})
        self.assertContains(listing, f"/admin/indicators/indicator/{indicator.pk}/change/")

    def test_a_contributor_may_not_set_a_target_and_nothing_is_written(self):
        item = self.item("target", 201, self.own, value="3000")
        indicator = Indicator.objects.get(slug="jeunes-dans-les-nouveaux-orchestres")
        before = (indicator.target_value, SourceDocument.objects.count(), ChangeSet.objects.count())
        response = self.post(
            self.prefecture,
            item,
            {"indicator": indicator.pk, "mode": "level", "value": "3000", "deadline": "2018", "sentence": "3 000"},
        )
        self.assertEqual(response.status_code, 403)
        indicator.refresh_from_db()
        self.assertEqual(before, (indicator.target_value, SourceDocument.objects.count(), ChangeSet.objects.count()))
        item.refresh_from_db()
        self.assertEqual(item.decision, Decision.PENDING)

    def test_an_amount_becomes_a_funding_line_with_its_funder_found_by_acronym(self):
        item = self.item("money", 83, amount="346000")
        measure = Measure.objects.get(programme=self.programme, fundings__key="anru-npnru-6-milliards")
        self.client.force_login(self.team)
        page = self.client.get(f"{self.url}elements/{item.position}/")
        self.assertContains(page, f'<option value="{measure.pk}" selected>')  # the heading above it
        self.assertContains(page, 'value="346000"')
        organisations = Organisation.objects.count()
        response = self.post(
            self.team,
            item,
            {
                "measure": measure.pk,
                "label": "Études du NPNRU à Dreux et Vernouillet",
                "amount": "346 000",
                "qualifier": "exact",
                "funder": "ANRU",
                "date": "11/2016",
            },
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[-1500:])
        funding = Funding.objects.get(measure=measure, label="Études du NPNRU à Dreux et Vernouillet")
        self.assertEqual((funding.amount, funding.funder.slug, funding.date_precision), (346000, "anru", "month"))
        self.assertEqual(Organisation.objects.count(), organisations)
        self.assert_cites_report(funding.source, item)
        self.assertEqual(funding.history.count(), 1)
        item.refresh_from_db()
        self.assertEqual(item.result, funding)
        # An unknown funder is added as an organisation, in the same change.
        other = self.item("money", 83, amount="106000")
        self.post(
            self.team,
            other,
            {
                "measure": measure.pk,
                "label": "Études",
                "amount": "106000",
                "qualifier": "exact",
                "funder": "Fondation X",
            },
        )
        self.assertEqual(Funding.objects.get(measure=measure, amount=106000).funder.name, "Fondation X")
        self.assertEqual(Organisation.objects.count(), organisations + 1)

    def test_an_organisation_becomes_a_partner_of_the_measure(self):
        item = self.draft.items.get(kind="organisation", data__acronym="Apec")
        measure = _measure_above(self.draft, item)
        apec = Organisation.objects.get(acronym__iexact="apec")
        with change(None, Origin.SYSTEM, "set-up"):
            measure.partners.remove(apec)
        version = measure.version
        self.client.force_login(self.team)
        page = self.client.get(f"{self.url}elements/{item.position}/")
        self.assertContains(page, f'<option value="{measure.pk}" selected>')
        response = self.post(self.team, item, {"measure": measure.pk, "name": item.data["name"], "acronym": "APEC"})
        self.assertEqual(response.status_code, 302, response.content.decode()[-1500:])
        measure.refresh_from_db()
        self.assertIn(apec, measure.partners.all())  # found by its acronym, not made again
        self.assertEqual(Organisation.objects.filter(acronym__iexact="apec").count(), 1)
        self.assertEqual(measure.version, version + 1)
        self.assertEqual(measure.history.first().change_set.reason, "partenaire lu dans « rapport-ciec-2017.txt »")

    def test_a_place_becomes_an_initiative_a_contributors_is_a_draft(self):
        item = self.item("place", 82, self.own, code="com:28404")  # Vernouillet, next to Dreux
        self.client.force_login(self.prefecture)
        page = self.client.get(f"/espace/lectures/{self.own.pk}/elements/{item.position}/")
        self.assertContains(page, "En faire une initiative locale")
        self.assertContains(page, 'value="com:28404"')
        measure = Measure.objects.get(programme=self.programme, fundings__key="anru-npnru-6-milliards")
        response = self.post(
            self.prefecture,
            item,
            {
                "title": "Protocole NPNRU de la Tabellionne",
                "body": item.quote,
                "measures": [measure.pk],
                "territories": "com:28404",
                "start": "10/11/2016",
            },
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[-1500:])
        initiative = Initiative.objects.get(title="Protocole NPNRU de la Tabellionne")
        self.assertEqual(initiative.status, Status.DRAFT)
        self.assertEqual(list(initiative.territories.values_list("code", flat=True)), ["com:28404"])
        self.assert_cites_report(initiative.source, item)
        self.assertEqual(initiative.entered_by, self.prefecture)
        # Outside its département, refused, nothing written.
        paris = (
            self.own.items.filter(kind="place")
            .exclude(data__code__in=["com:28134", "com:28404", "epci:200040277"])
            .first()
        )
        response = self.post(
            self.prefecture,
            paris,
            {"title": "Ailleurs", "body": "x", "measures": [measure.pk], "territories": paris.data["code"]},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Initiative.objects.filter(title="Ailleurs").exists())

    def test_a_heading_that_matches_no_measure_becomes_an_unpublished_measure(self):
        text = "Rapport d’étape\n\nUNE MESURE QUE LE PROGRAMME N’A PAS ENCORE\nMesure CIEC #2/ Mesure CIEC #3\n\n"
        draft = read_draft(self.programme, self.team, "etape.txt", text.encode())
        item = draft.items.get(kind="measure")
        self.assertNotIn("match", item.data)
        self.client.force_login(self.team)
        page = self.client.get(f"/espace/lectures/{draft.pk}/elements/{item.position}/")
        self.assertContains(page, "En faire une nouvelle mesure")
        axis = self.programme.axes.order_by("position").first()
        decisions = list(self.programme.decisions.filter(number__in=[2, 3]).values_list("pk", flat=True))
        response = self.client.post(
            f"/espace/lectures/{draft.pk}/elements/{item.position}/",
            {"axis": axis.pk, "title": "Une mesure que le programme n’a pas encore", "decisions": decisions},
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[-1500:])
        measure = Measure.objects.get(programme=self.programme, title="Une mesure que le programme n’a pas encore")
        self.assertFalse(measure.is_published)
        self.assertEqual(sorted(measure.decisions.values_list("number", flat=True)), [2, 3])
        self.assertEqual(measure.source.document.sha256, draft.sha256)
        self.assertEqual(self.client.get(f"/programmes/ciec/mesures/{measure.slug}/").status_code, 404)

    def test_a_long_draft_is_shown_page_by_page(self):
        self.assertGreater(self.draft.items.count(), PER_PAGE)
        self.client.force_login(self.team)
        first = self.client.get(self.url)
        pages = -(-self.draft.items.count() // PER_PAGE)
        self.assertContains(first, f"page 1 sur {pages}")
        self.assertContains(first, 'id="element-0"')
        self.assertNotContains(first, f'id="element-{PER_PAGE}"')
        second = self.client.get(self.url, {"page": 2})
        self.assertContains(second, f'id="element-{PER_PAGE}"')
        last = self.draft.items.order_by("position").last()
        self.assertEqual(back_to(last), f"{self.url}?page={pages}#element-{last.position}")
