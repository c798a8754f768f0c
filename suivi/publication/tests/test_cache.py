"""Public responses come from the cache until the published record changes, and never after."""

from __future__ import annotations

from decimal import Decimal

from django.test import TestCase, override_settings

from suivi.contributions.models import RoleKind
from suivi.contributions.workflow import Status
from suivi.factories import ObservationFactory, RoleFactory, UserFactory
from suivi.indicators.services import ValueInput, save_value


class PublicCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.value = ObservationFactory(indicator__name="Jeunes accompagnés", value=Decimal(1200))
        cls.indicator = cls.value.indicator
        cls.programme = cls.indicator.measure.programme
        cls.team = RoleFactory(kind=RoleKind.REVIEWER, programme=cls.programme).user
        cls.url = f"/programmes/{cls.programme.slug}/mesures/{cls.indicator.measure.slug}/"

    def correct(self, value: int, publish: bool = True, user=None):
        self.value.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            save_value(
                user or self.team,
                ValueInput(self.indicator, self.value.territory, self.value.date, Decimal(value)),
                observation=self.value,
                expected_version=self.value.version,
                publish=publish,
            )

    def test_the_second_request_is_served_from_the_cache_without_a_query(self):
        first = self.client.get(self.url)
        self.assertEqual(first["X-Suivi-Cache"], "miss")
        with self.assertNumQueries(0):
            second = self.client.get(self.url)
        self.assertEqual(second["X-Suivi-Cache"], "hit")
        self.assertEqual(second.content, first.content)
        self.assertEqual(second["ETag"], first["ETag"])
        self.assertIn("no-cache", second["Cache-Control"])

    def test_a_published_change_is_on_the_next_page_and_never_stale_after(self):
        self.assertContains(self.client.get(self.url), "1\u00a0200\u00a0jeunes")
        self.correct(1350)
        page = self.client.get(self.url)
        self.assertEqual(page["X-Suivi-Cache"], "miss")
        self.assertContains(page, "1\u00a0350\u00a0jeunes")
        self.assertNotContains(page, "1\u00a0200\u00a0jeunes")
        # Every cached page was made before: the programme's and the API's too.
        self.assertEqual(self.client.get(self.url)["X-Suivi-Cache"], "hit")

    def test_a_conditional_get_of_an_unchanged_page_is_not_modified(self):
        first = self.client.get(self.url)
        again = self.client.get(self.url, HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(again.status_code, 304)
        by_date = self.client.get(self.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        self.assertEqual(by_date.status_code, 304)
        self.correct(1350)
        self.assertEqual(self.client.get(self.url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code, 200)

    def test_downloads_feeds_and_the_api_are_cached_too(self):
        for url in (
            f"/donnees/{self.programme.slug}/observations.csv",
            f"/flux/{self.programme.slug}.atom",
            f"/api/v1/observations?programme={self.programme.slug}",
        ):
            first = self.client.get(url)
            self.assertEqual(first.status_code, 200, url)
            self.assertEqual(self.client.get(url)["X-Suivi-Cache"], "hit", url)

    def test_a_signed_in_person_gets_their_own_page_and_it_is_not_kept(self):
        self.client.force_login(UserFactory())
        page = self.client.get(self.url)
        self.assertNotIn("X-Suivi-Cache", page)
        self.client.logout()
        self.assertEqual(self.client.get(self.url)["X-Suivi-Cache"], "miss")

    def test_pages_with_a_form_and_the_contributor_space_are_not_kept(self):
        self.client.get("/suggerer-une-initiative/")
        self.assertNotIn("X-Suivi-Cache", self.client.get("/suggerer-une-initiative/"))
        self.assertNotIn("X-Suivi-Cache", self.client.get("/espace/connexion/"))

    def test_a_draft_changes_nothing_the_public_sees(self):
        contributor = RoleFactory(programme=self.programme).user
        self.client.get(self.url)
        self.correct(9999, publish=False, user=contributor)
        page = self.client.get(self.url)
        self.assertNotContains(page, "9\u00a0999")
        self.value.refresh_from_db()
        self.assertEqual(self.value.status, Status.DRAFT)

    @override_settings(SUIVI_PAGE_CACHE=False)
    def test_the_cache_can_be_switched_off(self):
        self.client.get(self.url)
        self.assertNotIn("X-Suivi-Cache", self.client.get(self.url))

    def test_a_long_address_with_any_character_is_cached_under_a_short_key(self):
        url = "/recherche/?q=" + "ʇǝɯɐ ʇᴉs ɹolop ɯnsdᴉ ɯǝɹo˥ " * 20
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.get(url)["X-Suivi-Cache"], "hit")
