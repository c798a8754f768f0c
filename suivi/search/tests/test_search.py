"""Search over the CIEC data and the territories: the same results, in the same order, on both engines."""

import pytest
from django.test import TestCase

from suivi.catalogue.models import Measure, Programme
from suivi.search.indexing import index_programme
from suivi.search.query import NO_FILTERS, Filters, highlight, query_words, search

# The CIEC, loaded once for the module (conftest.py).
pytestmark = pytest.mark.usefixtures("ciec_for_module")


class SearchTests(TestCase):
    def keys(self, query: str, filters: Filters = NO_FILTERS, limit: int = 5) -> list[str]:
        return list(search(query, filters).values_list("key", flat=True)[:limit])

    def test_it_folds_accents_and_case(self):
        self.assertEqual(self.keys("DECROCHAGE")[0], "ciec/lutte-contre-le-decrochage-scolaire")
        self.assertEqual(self.keys("décrochage"), self.keys("decrochage"))

    def test_it_needs_every_word_and_matches_prefixes(self):
        self.assertEqual(self.keys("reussite educative")[0], "ciec/programmes-de-reussite-educative")
        self.assertIn("ciec/programmes-de-reussite-educative", self.keys("reus educ"))
        self.assertEqual(self.keys("reussite zzz"), [])

    def test_a_place_name_finds_the_commune_first_then_what_happens_there(self):
        self.assertEqual(self.keys("chateauroux", limit=2), ["com:36044", "ciec/chateauroux-peines-alternatives"])

    def test_homonyms_are_told_apart_by_their_departement(self):
        titles = list(search("vernouillet", Filters(kind="territory")).values_list("title", flat=True))
        self.assertEqual(titles, ["Vernouillet (28)", "Vernouillet (78)"])

    def test_results_are_ranked_the_same_way_on_every_engine(self):
        self.assertEqual(
            self.keys("orchestres"),
            [
                "ciec/reseau-des-conservatoires/jeunes-dans-les-nouveaux-orchestres",
                "ciec/reseau-des-conservatoires/nouveaux-orchestres",
                "ciec/reseau-des-conservatoires",
            ],
        )

    def test_it_filters_by_decision_axis_status_type_and_territory(self):
        decided_at_3 = search("jeunes", Filters(decision=3))
        self.assertTrue(decided_at_3.exists())
        self.assertTrue(all("|3|" in d for d in decided_at_3.values_list("decisions", flat=True)))
        self.assertEqual(self.keys("npnru", Filters(territory="dep:28")), ["ciec/npnru-dreux-vernouillet"])
        self.assertEqual(
            self.keys("garantie", Filters(status="done", kind="measure")), ["ciec/generalisation-de-la-garantie-jeunes"]
        )
        self.assertEqual(self.keys("jeunes", Filters(axis="vivre-dans-la-republique")), [])
        self.assertEqual(
            set(search("saint benoit", Filters(kind="territory")).values_list("kind", flat=True)), {"territory"}
        )

    def test_unpublished_measures_leave_the_index(self):
        Measure.objects.filter(slug="programmes-de-reussite-educative").update(is_published=False)
        index_programme(Programme.objects.get(slug="ciec"))
        self.assertNotIn("ciec/programmes-de-reussite-educative", self.keys("reussite educative"))

    def test_queries_with_operators_or_punctuation_are_plain_words(self):
        # Each finds what its plain words find: operators and quotes mean nothing to the engine.
        for query, plain in [
            ('"', None),
            ("*", None),
            ("«»", None),
            ("NOT jeunes", "not jeunes"),
            ("jeunes OR", "jeunes or"),
            ("a:b", "a b"),
            ("'; drop table x; --", "drop table x"),
        ]:
            expected = self.keys(plain, limit=100) if plain else []
            self.assertEqual(self.keys(query, limit=100), expected, query)
        self.assertTrue(self.keys("jeunes", limit=100))
        self.assertTrue(Measure.objects.exists())  # nothing was dropped
        self.assertEqual(query_words("« Tous mobilisés » !"), ["tous", "mobilises"])
        self.assertFalse(search("  ").exists())

    def test_it_highlights_words_starting_like_the_query(self):
        html = highlight("Renforcer la lutte contre le décrochage <scolaire>", ["decroch"])
        self.assertEqual(html, "Renforcer la lutte contre le <mark>décrochage</mark> &lt;scolaire&gt;")


class SearchPageTests(TestCase):
    def test_it_shows_ranked_highlighted_results_with_filters(self):
        response = self.client.get("/recherche/", {"q": "decrochage"})
        html = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn("2 résultats pour « decrochage »", html)
        self.assertIn("Renforcer la lutte contre le <mark>décrochage</mark> scolaire", html)
        self.assertIn('<select class="fr-select" id="filter-decision" name="decision">', html)

    def test_the_header_box_leads_here_and_a_filter_keeps_the_query(self):
        html = self.client.get("/").content.decode()
        self.assertIn('action="/recherche/" method="get"', html)
        html = self.client.get("/recherche/", {"q": "jeunes", "decision": "2"}).content.decode()
        self.assertTrue("2 résultats pour « jeunes »" in html)
        self.assertTrue('<option value="2" selected>CIEC #2</option>' in html)
        html = self.client.get("/recherche/", {"q": "jeunes", "decision": "x", "type": "bogus"}).content.decode()
        self.assertTrue("25 résultats pour « jeunes »" in html)  # the bad filters are ignored

    def test_results_are_paginated(self):
        response = self.client.get("/recherche/", {"q": "saint", "page": "2"})
        html = response.content.decode()
        self.assertIn("2 / ", html)
        self.assertEqual(html.count('class="fr-mb-3w search-result"'), 20)

    def test_filters_without_a_word_list_what_they_select(self):
        html = self.client.get("/recherche/?type=initiative&territoire=dep:28").content.decode()
        self.assertIn("résultat pour ces filtres", html)
        self.assertIn("/programmes/ciec/initiatives/npnru-dreux-vernouillet/", html)
        self.assertNotIn("/programmes/ciec/mesures/", html.split('role="status"')[1])
        self.assertNotIn('role="status"', self.client.get("/recherche/").content.decode())

    def test_an_overseas_region_and_its_departement_appear_once_in_the_filter(self):
        html = self.client.get("/recherche/").content.decode()
        self.assertEqual(html.count(">Guadeloupe (971)</option>"), 1)
        self.assertNotIn(">Guadeloupe</option>", html)
        self.assertIn(">Centre-Val de Loire</option>", html)
