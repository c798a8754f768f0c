"""Every endpoint and filter of /api/v1/, over the CIEC data, including bad parameters."""

import datetime

import pytest
from django.test import TestCase

from suivi.catalogue.models import Measure
from suivi.factories import ObservationFactory
from suivi.indicators.models import Indicator, Observation

# The CIEC, loaded once for the module (conftest.py).
pytestmark = pytest.mark.usefixtures("ciec_for_module")


class ApiTestCase(TestCase):
    def get(self, path: str, status: int = 200, **headers):
        response = self.client.get("/api/v1" + path, headers=headers)
        self.assertEqual(response.status_code, status, (path, response.content[:300]))
        return response

    def results(self, path: str) -> list[dict]:
        return self.get(path).json()["results"]


class CatalogueEndpointTests(ApiTestCase):
    def test_programmes_axes_and_decisions(self):
        self.assertEqual([p["slug"] for p in self.results("/programmes")], ["ciec"])
        self.assertEqual(self.get("/programmes/ciec").json()["short_name"], "CIEC")
        self.assertEqual(len(self.results("/axes?programme=ciec")), 3)
        decisions = self.results("/decisions?programme=ciec")
        self.assertEqual(
            decisions[2],
            {
                "programme": "ciec",
                "number": 3,
                "name": "CIEC #3",
                "date": "2016-04-13",
                "place": "Vaulx-en-Velin",
                "territory": "com:69256",
            },
        )

    def test_measures_filter_by_axis_decision_status_and_words(self):
        self.assertEqual(self.get("/measures?programme=ciec").json()["count"], 20)
        at_3 = self.results("/measures?decision=3")
        self.assertTrue(at_3 and all(3 in m["decisions"] for m in at_3))
        self.assertEqual(len(at_3), 6)
        self.assertEqual(
            [m["slug"] for m in self.results("/measures?status=done")],
            [
                "generalisation-de-la-garantie-jeunes",
                "agence-de-developpement-economique-des-territoires",
            ],
        )
        self.assertEqual(self.get("/measures?axis=vivre-dans-la-republique").json()["count"], 0)
        self.assertEqual(
            [m["slug"] for m in self.results("/measures?q=decrochage")], ["lutte-contre-le-decrochage-scolaire"]
        )

    def test_a_measure_carries_its_progress_and_page(self):
        measure = self.get("/measures/ciec/reseau-des-conservatoires").json()
        self.assertEqual(measure["decisions"], [2])
        self.assertEqual(measure["progress"]["percent"], 63)
        self.assertTrue(measure["page"].endswith("/programmes/ciec/mesures/reseau-des-conservatoires/"))

    def test_unpublished_measures_are_not_served(self):
        Measure.objects.filter(slug="reseau-des-conservatoires").update(is_published=False)
        self.get("/measures/ciec/reseau-des-conservatoires", 404)
        self.assertEqual(self.get("/measures").json()["count"], 19)


class IndicatorEndpointTests(ApiTestCase):
    def test_indicators_and_their_target(self):
        indicator = self.get("/indicators/ciec/reseau-des-conservatoires/nouveaux-orchestres").json()
        self.assertEqual(indicator["target"]["value"], 30.0)
        self.assertEqual(indicator["target"]["deadline"], "2018-01-01")
        self.assertEqual(indicator["target"]["deadline_precision"], "year")
        self.assertEqual(self.get("/indicators?measure=reseau-des-conservatoires").json()["count"], 2)

    def test_observations_by_indicator_territory_level_within_and_dates(self):
        rows = self.results("/observations?indicator=ciec/reseau-des-conservatoires/nouveaux-orchestres")
        self.assertEqual(
            rows,
            [
                {
                    "indicator": "ciec/reseau-des-conservatoires/nouveaux-orchestres",
                    "territory": "fr",
                    "date": "2016-12-01",
                    "date_precision": "month",
                    "period_start": None,
                    "value": 19.0,
                    "qualifier": "exact",
                    "status": "published",
                    "source": rows[0]["source"],
                }
            ],
        )
        self.assertEqual(self.get("/observations").json()["count"], Observation.objects.public().count())
        since_2017 = Observation.objects.filter(territory="fr", date__gte="2017-01-01").count()
        self.assertEqual(self.get("/observations?territory=fr&date_from=2017-01-01").json()["count"], since_2017)
        in_2016 = self.results("/observations?date_from=2016-01-01&date_to=2016-12-31")
        self.assertTrue(in_2016 and all(r["date"].startswith("2016-") for r in in_2016))
        self.assertEqual(self.get("/observations?date_from=2017-01-01&date_to=2016-01-01").json()["count"], 0)
        self.assertEqual(self.get("/observations?level=dep&within=reg:52").json()["count"], 0)

    def test_level_and_within_select_the_departements_of_a_region(self):
        indicator = Indicator.objects.get(slug="nouveaux-orchestres")
        for code in ("dep:44", "dep:49", "com:44109", "dep:33"):
            ObservationFactory(indicator=indicator, territory_id=code, date=datetime.date(2017, 1, 1), value=1)
        rows = self.results("/observations?level=dep&within=reg:52")
        self.assertEqual([r["territory"] for r in rows], ["dep:44", "dep:49"])
        self.assertEqual([r["territory"] for r in self.results("/observations?within=dep-44")], ["com:44109"])


class InitiativeEndpointTests(ApiTestCase):
    def test_initiatives_by_measure_and_territory_including_children(self):
        self.assertEqual(self.get("/initiatives").json()["count"], 25)
        self.assertEqual(
            [i["slug"] for i in self.results("/initiatives?territory=reg:24")],
            [
                "chateauroux-peines-alternatives",
                "npnru-dreux-vernouillet",
            ],
        )
        self.assertEqual([i["slug"] for i in self.results("/initiatives?territory=com:78643")], [])
        rows = self.results("/initiatives?measure=scolarisation-precoce")
        self.assertEqual([i["territories"] for i in rows], [["com:95018"], ["com:13055"]])
        self.assertEqual(self.results("/initiatives?q=orchestre")[0]["slug"], "demos-bordeaux-metropole-gironde")

    def test_an_initiative_with_its_figures(self):
        demos = self.get("/initiatives/ciec/demos-bordeaux-metropole-gironde").json()
        self.assertEqual(demos["figures"][0]["value"], 120.0)
        self.assertEqual(demos["start_date"], "2016-10-01")

    def test_organisations_and_fundings(self):
        self.assertEqual(self.get("/organisations/anru").json()["acronym"], "Anru")
        self.assertEqual(self.get("/organisations").json()["count"], 42)
        fundings = self.results("/fundings?measure=nouveau-programme-national-de-renouvellement-urbain")
        self.assertEqual([f["amount"] for f in fundings], [6000000000.0, 1000000000.0])
        self.assertEqual(len(self.results("/fundings?territory=epci:200040277")), 2)  # Dreux and Vernouillet
        self.assertEqual(self.results("/fundings?territory=com:28134"), [])
        self.assertEqual(fundings[1]["part_of"], fundings[0]["id"])


class TerritoryAndSourceEndpointTests(ApiTestCase):
    def test_territories_by_level_within_and_name(self):
        self.assertEqual(self.get("/territories?level=reg").json()["count"], 18)
        self.assertEqual(self.get("/territories?level=dep&within=reg:24").json()["count"], 6)
        self.assertEqual(
            [t["label"] for t in self.results("/territories?q=vernouillet&level=com")],
            [
                "Vernouillet (28)",
                "Vernouillet (78)",
            ],
        )
        self.assertEqual(self.get("/territories/com-28404").json()["departement"], "dep:28")

    def test_sources_quote_the_report(self):
        sources = self.results("/sources?document=rapport-ciec-2017&page_size=500")
        self.assertGreater(len(sources), 100)
        first = self.get(f"/sources/{sources[0]['id']}").json()
        self.assertEqual(first["document"]["sha256"][:8], "41cdc874")

    def test_search(self):
        self.assertEqual(self.results("/search?q=chateauroux")[0]["key"], "com:36044")
        self.assertEqual(
            self.results("/search?q=chateauroux&type=initiative")[0]["key"], "ciec/chateauroux-peines-alternatives"
        )


class ProtocolTests(ApiTestCase):
    def test_pages_link_to_their_neighbours_in_a_stable_order(self):
        first = self.get("/measures?page_size=7").json()
        second = self.client.get(first["next"]).json()
        third = self.client.get(second["next"]).json()
        slugs = [m["slug"] for page in (first, second, third) for m in page["results"]]
        self.assertEqual(len(slugs), 20)
        self.assertEqual(len(set(slugs)), 20)
        self.assertIsNone(third["next"])
        self.assertEqual(self.client.get(third["previous"]).json(), second)

    def test_beyond_the_count_limit_pages_have_no_count_but_still_link_their_neighbours(self):
        from unittest import mock

        exact = self.get("/measures?page_size=7").json()
        with mock.patch("suivi.api.pagination.COUNT_LIMIT", 5):
            first = self.get("/measures?page_size=7&page=1").json()  # another address than the cached one
            second = self.client.get(first["next"]).json()
            third = self.client.get(second["next"]).json()
            self.get("/measures?page_size=7&page=4", 404)
        self.assertEqual((first["count"], exact["count"]), (None, 20))
        self.assertEqual(first["results"], exact["results"])
        slugs = [m["slug"] for page in (first, second, third) for m in page["results"]]
        self.assertEqual((len(slugs), len(set(slugs))), (20, 20))
        self.assertIsNone(third["next"])

    def test_bad_parameters_answer_400_naming_the_parameter(self):
        for path, parameter in [
            ("/observations?level=region", "level"),
            ("/observations?date_from=2016-13-01", "date_from"),
            ("/observations?within=Paris", "within"),
            ("/measures?decision=zero", "decision"),
            ("/measures?status=finished", "status"),
            ("/measures?page=0", "page"),
            ("/measures?page_size=100000", "page_size"),
            ("/search", "q"),
        ]:
            error = self.get(path, 400).json()["error"]
            self.assertEqual(error["parameter"], parameter, path)
            self.assertIn(parameter, error["message"], path)

    def test_unknown_resources_and_references_answer_404_in_json(self):
        for path in [
            "/measures/ciec/nope",
            "/programmes/nope",
            "/territories/dep:99",
            "/nope",
            "/observations?within=reg:99",
            "/axes?programme=nope",
            "/measures?page=2",
        ]:
            response = self.get(path, 404)
            self.assertEqual(response["Content-Type"], "application/json", path)
            self.assertEqual(response.json()["error"]["status"], 404)

    def test_writes_are_not_allowed(self):
        response = self.client.post("/api/v1/measures")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response.json()["error"]["message"], "Method POST is not allowed here; use GET.")

    def test_conditional_get_with_etag_and_last_modified(self):
        first = self.get("/measures")
        self.assertTrue(first["ETag"])
        self.assertTrue(first["Last-Modified"].endswith("GMT"))
        self.assertEqual(self.client.get("/api/v1/measures", headers={"If-None-Match": first["ETag"]}).status_code, 304)
        since = {"If-Modified-Since": first["Last-Modified"]}
        self.assertEqual(self.client.get("/api/v1/measures", headers=since).status_code, 304)
        earlier = {"If-Modified-Since": "Mon, 01 Jan 2018 00:00:00 GMT"}
        self.assertEqual(self.client.get("/api/v1/measures", headers=earlier).status_code, 200)

    def test_cors_is_open_for_reading(self):
        response = self.get("/measures", Origin="https://journal.example")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        preflight = self.client.options(
            "/api/v1/measures",
            headers={
                "Origin": "https://journal.example",
                "Access-Control-Request-Method": "GET",
            },
        )
        self.assertIn("GET", preflight["Access-Control-Allow-Methods"])
        self.assertNotIn("POST", preflight["Access-Control-Allow-Methods"])

    def test_the_openapi_document_and_its_documentation_page(self):
        document = self.get("/openapi.json").json()
        self.assertEqual(document["info"]["title"], "Suivi API")
        self.assertIn("/api/v1/observations", document["paths"])
        parameters = {p["name"] for p in document["paths"]["/api/v1/observations"]["get"]["parameters"]}
        self.assertEqual(
            parameters, {"indicator", "territory", "level", "within", "date_from", "date_to", "page", "page_size"}
        )
        self.assertContains(self.client.get("/api/v1/docs"), "swagger")


class DocumentationPageTests(TestCase):
    def test_the_documentation_is_a_french_page_of_the_site_listing_every_operation(self):
        from suivi.api.docs import operations

        html = self.client.get("/api/v1/docs").content.decode()
        self.assertIn('<html lang="fr"', html)
        self.assertIn("fr-header", html)
        self.assertIn("Documentation de l’API", html)
        listed = operations()
        self.assertEqual(len(listed), 25)
        self.assertEqual([op["path"] for op in listed if not op["summary"]], [])
        for op in listed:
            self.assertIn(f"<code>{op['path']}</code>", html)
        # The page size it states is the one the API enforces (it said 100 while 500 was allowed).
        self.assertIn("nombre d’éléments par page (500 au plus, 50 par défaut)", html)
        self.assertEqual(self.client.get("/api/v1/programmes?page_size=500").status_code, 200)
        self.assertEqual(self.client.get("/api/v1/programmes?page_size=501").status_code, 400)
        self.assertEqual(self.client.get("/api/v1/swagger/").status_code, 200)
