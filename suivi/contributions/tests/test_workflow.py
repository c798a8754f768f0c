"""The workflow end to end through the pages and the API: draft → submitted → validated → published.

A value that is not published reaches no public page, file, feed or API response; once
published it is everywhere; withdrawn, it is gone again and kept in the record.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from django.core.cache import cache
from django.test import TestCase, override_settings
from openpyxl import load_workbook

from suivi.contributions.models import ApiToken, RoleKind, Suggestion, Transition
from suivi.contributions.workflow import Status
from suivi.factories import IndicatorFactory, RoleFactory, UserFactory
from suivi.indicators.models import Observation
from suivi.initiatives.models import Initiative
from suivi.sources.models import ChangeSet, Origin

DISTINCT = re.compile(r"4[\s\u00a0\u202f.,]?242")


class WorkflowTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.indicator = IndicatorFactory(
            measure__slug="orchestres",
            measure__axis__programme__slug="demo",
            slug="orchestres-crees",
            name="Orchestres créés",
            unit="orchestres",
            is_headline=True,
        )
        cls.measure = cls.indicator.measure
        cls.programme = cls.measure.programme
        cls.contributor = UserFactory(username="prefecture", first_name="Inès", last_name="Préfecture")
        RoleFactory(user=cls.contributor, programme=cls.programme, territories=["dep:36"])
        cls.reviewer = UserFactory(username="relecteur")
        RoleFactory(user=cls.reviewer, kind=RoleKind.REVIEWER, programme=cls.programme)

    def as_user(self, user):
        self.client.force_login(user)
        return self.client

    def report_value(self, value="4 242", territory="Châteauroux", date="12/2016", user=None) -> Observation:
        response = self.as_user(user or self.contributor).post(
            "/espace/demo/valeurs/nouvelle/",
            {"indicator": self.indicator.pk, "territory": territory, "date": date, "value": value},
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        return Observation.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])

    def move(self, user, observation, to, comment="", expect=302):
        response = self.as_user(user).post(
            f"/espace/valeurs/{observation.pk}/etat/", {"to_status": to, "comment": comment}
        )
        self.assertEqual(response.status_code, expect)
        observation.refresh_from_db()
        return response


class PublicationTests(WorkflowTestCase):
    PUBLIC = [
        "/programmes/demo/",
        "/programmes/demo/mesures/orchestres/",
        "/territoires/com-36044/",
        "/api/v1/observations?indicator=demo/orchestres/orchestres-crees",
        "/donnees/demo/observations.csv",
        "/donnees/demo/observations.json",
        "/donnees/demo/barometre/detail-departemental.csv",
        "/flux/demo.atom",
        "/flux/territoires/com-36044.atom",
        "/flux/demo/mesures/orchestres.atom",
    ]

    def public_texts(self) -> dict[str, str]:
        self.client.logout()
        texts = {}
        for url in self.PUBLIC:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            texts[url] = response.content.decode()
        workbook = load_workbook(io.BytesIO(self.client.get("/donnees/demo/observations.xlsx").content))
        texts["xlsx"] = " ".join(str(c.value) for row in workbook.active.iter_rows() for c in row)
        return texts

    def assert_nowhere(self):
        for url, text in self.public_texts().items():
            self.assertIsNone(DISTINCT.search(text), f"an unpublished value is shown at {url}")

    def test_a_value_reaches_the_public_only_once_published_and_leaves_when_withdrawn(self):
        observation = self.report_value()
        self.assertEqual(observation.status, Status.DRAFT)
        self.assert_nowhere()
        self.move(self.contributor, observation, Status.SUBMITTED)
        self.assert_nowhere()
        self.move(self.reviewer, observation, Status.VALIDATED)
        self.assert_nowhere()
        self.move(self.reviewer, observation, Status.PUBLISHED)
        missing = [url for url, text in self.public_texts().items() if not DISTINCT.search(text)]
        # The programme and measure pages show national values (a commune's is on its page), and
        # the départements' file lists départements: the value is in every other place.
        self.assertEqual(
            missing,
            [
                "/programmes/demo/",
                "/programmes/demo/mesures/orchestres/",
                "/donnees/demo/barometre/detail-departemental.csv",
            ],
        )
        self.move(self.reviewer, observation, Status.WITHDRAWN, comment="Chiffre erroné")
        self.assert_nowhere()
        self.assertTrue(Observation.objects.filter(pk=observation.pk, status=Status.WITHDRAWN).exists())

    def test_a_national_value_reaches_the_programme_and_measure_pages_only_once_published(self):
        observation = self.report_value(territory="fr", user=self.reviewer)
        self.assert_nowhere()
        self.move(self.reviewer, observation, Status.SUBMITTED)
        self.move(self.reviewer, observation, Status.VALIDATED)
        self.assert_nowhere()
        self.move(self.reviewer, observation, Status.PUBLISHED)
        texts = self.public_texts()
        for url in (
            "/programmes/demo/",
            "/programmes/demo/mesures/orchestres/",
            "/api/v1/observations?indicator=demo/orchestres/orchestres-crees",
        ):
            self.assertRegex(texts[url], DISTINCT, url)

    def test_each_move_is_recorded_with_who_when_and_why(self):
        observation = self.report_value()
        self.move(self.contributor, observation, Status.SUBMITTED)
        response = self.move(self.reviewer, observation, Status.DRAFT)  # no comment
        self.assertEqual(observation.status, Status.SUBMITTED)
        self.move(self.reviewer, observation, Status.DRAFT, comment="Donnez la source")
        self.assertEqual(observation.status, Status.DRAFT)
        moves = list(Transition.objects.filter(object_id=observation.pk).values_list("to_status", "actor", "comment"))
        self.assertEqual(
            moves,
            [(Status.SUBMITTED, self.contributor.pk, ""), (Status.DRAFT, self.reviewer.pk, "Donnez la source")],
        )
        page = self.as_user(self.contributor).get(f"/espace/valeurs/{observation.pk}/").content.decode()
        self.assertIn("Donnez la source", page)
        self.assertIsNotNone(response)

    def test_a_contributor_cannot_validate_or_publish(self):
        observation = self.report_value()
        self.move(self.contributor, observation, Status.SUBMITTED)
        self.move(self.contributor, observation, Status.VALIDATED, expect=403)
        self.assertEqual(observation.status, Status.SUBMITTED)

    def test_the_review_queue_lists_what_waits_and_filters_it(self):
        observation = self.report_value()
        self.move(self.contributor, observation, Status.SUBMITTED)
        queue = self.as_user(self.reviewer)
        self.assertContains(queue.get("/espace/validation/"), f"/espace/valeurs/{observation.pk}/")
        self.assertNotContains(queue.get("/espace/validation/?type=initiatives"), f"/espace/valeurs/{observation.pk}/")
        self.assertNotContains(queue.get("/espace/validation/?territoire=dep:13"), f"/espace/valeurs/{observation.pk}/")
        self.assertContains(queue.get("/espace/validation/?territoire=dep:36"), f"/espace/valeurs/{observation.pk}/")
        self.assertEqual(self.as_user(self.contributor).get("/espace/validation/").status_code, 403)


class HistoryAndConflictTests(WorkflowTestCase):
    def edit(self, observation, value, version):
        return self.as_user(self.contributor).post(
            f"/espace/demo/valeurs/{observation.pk}/modifier/",
            {
                "indicator": self.indicator.pk,
                "territory": "com:36044",
                "date": "12/2016",
                "value": value,
                "version": version,
            },
        )

    def test_history_shows_each_version_and_a_restore_is_a_new_recorded_change(self):
        observation = self.report_value(value="10")
        self.assertEqual(self.edit(observation, "12", 1).status_code, 302)
        self.assertEqual(self.edit(observation, "15", 2).status_code, 302)
        page = self.as_user(self.contributor).get(f"/espace/valeurs/{observation.pk}/").content.decode()
        self.assertIn("Restaurer cette version", page)
        self.assertRegex(page, r"<td>Valeur</td><td>12</td><td>15</td>")
        first = observation.history.order_by("history_date").first()
        response = self.client.post(
            f"/espace/valeurs/{observation.pk}/restaurer/", {"history_id": first.history_id, "version": 3}
        )
        self.assertEqual(response.status_code, 302)
        observation.refresh_from_db()
        self.assertEqual((observation.value, observation.version), (Decimal(10), 4))
        latest = observation.history.order_by("-history_date").first()
        self.assertEqual(latest.change_set.origin, Origin.RESTORE)
        self.assertEqual(observation.history.count(), 4)

    def test_a_second_save_from_a_stale_form_is_refused_with_both_values(self):
        observation = self.report_value(value="10")
        self.assertEqual(self.edit(observation, "11", 1).status_code, 302)
        response = self.edit(observation, "99", 1)  # opened at version 1, saved after the first edit
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("Quelqu’un a modifié cet enregistrement", page)
        self.assertRegex(page, r"<td>Valeur</td><td>11</td><td>99</td>")
        observation.refresh_from_db()
        self.assertEqual(observation.value, Decimal(11))
        # Saving again from the conflict page keeps the writer's value, knowingly.
        self.assertEqual(self.edit(observation, "99", 2).status_code, 302)
        observation.refresh_from_db()
        self.assertEqual(observation.value, Decimal(99))

    def test_the_api_answers_409_with_the_fields_that_differ(self):
        observation = self.report_value(value="10")
        key = ApiToken.issue(self.contributor, "script")[1]
        body = {
            "indicator": "demo/orchestres/orchestres-crees",
            "territory": "com:36044",
            "date": "2016-12",
            "value": 20,
            "version": 1,
        }
        headers = {"Authorization": f"Bearer {key}"}
        first = self.client.put(
            f"/api/v1/observations/{observation.pk}", body, content_type="application/json", headers=headers
        )
        self.assertEqual(first.status_code, 200, first.content)
        second = self.client.put(
            f"/api/v1/observations/{observation.pk}",
            body | {"value": 30},
            content_type="application/json",
            headers=headers,
        )
        self.assertEqual(second.status_code, 409)
        error = second.json()["error"]
        self.assertEqual(error["current_version"], 2)
        self.assertEqual([(f["field"], f["theirs"], f["yours"]) for f in error["fields"]], [("value", "20", "30")])


class ApiWriteTests(WorkflowTestCase):
    def test_a_write_without_a_valid_token_is_refused_as_json(self):
        for headers in ({}, {"Authorization": "Bearer suivi_nope"}):
            response = self.client.post("/api/v1/observations", {}, content_type="application/json", headers=headers)
            self.assertEqual(response.status_code, 401)
            self.assertIn("token", response.json()["error"]["message"])

    def test_a_revoked_token_no_longer_writes(self):
        token, key = ApiToken.issue(self.contributor, "script")
        self.as_user(self.contributor).post("/espace/jetons/", {"revoke": token.pk})
        response = self.client.post(
            "/api/v1/observations",
            {"indicator": "demo/orchestres/orchestres-crees", "territory": "com:36044", "date": "2016", "value": 1},
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )
        self.assertEqual(response.status_code, 401)

    def test_a_contributor_value_is_a_draft_and_bad_input_names_the_field(self):
        key = ApiToken.issue(self.contributor, "script")[1]
        headers = {"Authorization": f"Bearer {key}"}
        body = {
            "indicator": "demo/orchestres/orchestres-crees",
            "territory": "com:36044",
            "date": "2016-12",
            "value": 7,
            "publish": True,
            "source": {"url": "https://www.indre.gouv.fr/bilan.pdf", "quote": "7 orchestres"},
        }
        created = self.client.post("/api/v1/observations", body, content_type="application/json", headers=headers)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["status"], Status.DRAFT)  # publish is for reviewers
        observation = Observation.objects.get(pk=created.json()["id"])
        self.assertEqual(observation.source.document.url, "https://www.indre.gouv.fr/bilan.pdf")
        self.assertEqual(observation.history.first().change_set.origin, Origin.API)
        bad = self.client.post(
            "/api/v1/observations", body | {"date": "décembre"}, content_type="application/json", headers=headers
        )
        self.assertEqual((bad.status_code, bad.json()["error"]["parameter"]), (400, "date"))
        outside = self.client.post(
            "/api/v1/observations", body | {"territory": "com:13055"}, content_type="application/json", headers=headers
        )
        self.assertEqual(outside.status_code, 403)

    def test_a_nul_character_anywhere_in_a_write_is_a_400_naming_the_field(self):
        """Found by schemathesis: a programme slug holding U+0000 answered 500 on PostgreSQL."""
        key = ApiToken.issue(self.contributor, "script")[1]
        headers = {"Authorization": f"Bearer {key}"}
        initiative = {"programme": "demo", "title": "Orchestre", "body": "", "measures": ["orchestres"]}
        initiative["territories"] = ["com:36044"]
        value = {"indicator": "demo/orchestres/orchestres-crees", "territory": "com:36044", "date": "2016", "value": 1}
        for path, body, field in [
            ("/api/v1/initiatives", initiative | {"programme": "de\x00mo"}, "programme"),
            ("/api/v1/initiatives", initiative | {"title": "Orch\x00estre"}, "title"),
            ("/api/v1/initiatives", initiative | {"territories": ["com:36044", "\x00"]}, "territories"),
            ("/api/v1/observations", value | {"comment": "a\x00"}, "comment"),
            ("/api/v1/observations", value | {"source": {"url": "https://a.fr/\x00"}}, "url"),
        ]:
            with self.subTest(field=field):
                answer = self.client.post(path, body, content_type="application/json", headers=headers)
                self.assertEqual(answer.status_code, 400, answer.content)
                self.assertEqual(answer.json()["error"]["parameter"], field)
                self.assertIn("NUL", answer.json()["error"]["message"])
        self.assertFalse(Initiative.objects.filter(title__startswith="Orch").exists())


class SuggestionTests(WorkflowTestCase):
    def setUp(self):
        cache.clear()

    def suggest(self, **extra):
        data = {
            "name": "Jeanne Citoyenne",
            "email": "jeanne@example.org",
            "title": "Chorale du quartier Saint-Jean",
            "body": "Une chorale **ouverte** à tous <script>alert(1)</script>",
            "place": "Châteauroux",
            "measure": self.measure.pk,
            "website": "",
        }
        return self.client.post("/suggerer-une-initiative/", data | extra, REMOTE_ADDR="192.0.2.1")

    @override_settings(SUIVI_HOME_PROGRAMME="demo")
    def test_a_suggestion_waits_for_review_and_is_never_public_before(self):
        response = self.suggest()
        self.assertEqual(response.status_code, 302)
        initiative = Initiative.objects.get(title="Chorale du quartier Saint-Jean")
        self.assertEqual(initiative.status, Status.SUBMITTED)
        self.assertEqual(Suggestion.objects.get(initiative=initiative).email, "jeanne@example.org")
        self.assertEqual(list(initiative.territories.values_list("code", flat=True)), ["com:36044"])
        self.assertEqual(self.client.get(f"/programmes/demo/initiatives/{initiative.slug}/").status_code, 404)
        self.assertNotContains(self.client.get("/territoires/com-36044/"), "Chorale du quartier")
        self.assertContains(self.as_user(self.reviewer).get("/espace/validation/"), "Chorale du quartier Saint-Jean")
        for to in (Status.VALIDATED, Status.PUBLISHED):
            self.client.post(f"/espace/initiatives/{initiative.pk}/etat/", {"to_status": to})
        self.client.logout()
        page = self.client.get(f"/programmes/demo/initiatives/{initiative.slug}/").content.decode()
        self.assertIn("<strong>ouverte</strong>", page)
        self.assertNotIn("<script>alert(1)", page)
        self.assertNotIn("jeanne@example.org", page)

    @override_settings(SUIVI_HOME_PROGRAMME="demo")
    def test_a_robot_filling_the_hidden_field_creates_nothing(self):
        response = self.suggest(website="http://spam.example")
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Initiative.objects.exists())

    @override_settings(SUIVI_HOME_PROGRAMME="demo", SUGGESTION_RATE_PER_HOUR=2)
    def test_suggestions_are_rate_limited_per_address(self):
        self.assertEqual(self.suggest(title="Une").status_code, 302)
        self.assertEqual(self.suggest(title="Deux").status_code, 302)
        self.assertEqual(self.suggest(title="Trois").status_code, 429)
        self.assertEqual(Initiative.objects.count(), 2)

    @override_settings(SUIVI_HOME_PROGRAMME="demo")
    def test_an_ambiguous_place_is_refused_with_the_candidates(self):
        response = self.suggest(place="Vernouillet")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Vernouillet (28)")
        self.assertContains(response, "Vernouillet (78)")
        self.assertFalse(Initiative.objects.exists())
        self.assertFalse(ChangeSet.objects.filter(origin=Origin.SUGGESTION).exists())
