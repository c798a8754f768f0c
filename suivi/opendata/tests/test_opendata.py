"""Downloads, Table Schema, Data Package, Baromètre layout, DCAT catalogue and Atom feeds."""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import frictionless
import pytest
from django.core.management import call_command
from django.test import TestCase
from openpyxl import load_workbook

from suivi.catalogue.models import Measure
from suivi.factories import ObservationFactory, recorded
from suivi.indicators.models import Indicator, Observation
from suivi.initiatives.models import Initiative
from suivi.opendata import barometre
from suivi.opendata.tables import TABLES

PUBLISHED = Path(__file__).parent / "barometre"
ATOM = "{http://www.w3.org/2005/Atom}"

# The CIEC, loaded once for the module (conftest.py).
pytestmark = pytest.mark.usefixtures("ciec_for_module")


class OpenDataTestCase(TestCase):
    def get(self, url: str, status: int = 200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, url)
        return response


class DownloadTests(OpenDataTestCase):
    def test_every_table_in_every_format_has_the_columns_of_its_schema(self):
        for table in TABLES:
            names = [f["name"] for f in self.get(f"/donnees/ciec/{table.name}.schema.json").json()["fields"]]
            rows = list(csv.reader(io.StringIO(self.get(f"/donnees/ciec/{table.name}.csv").content.decode())))
            self.assertEqual(rows[0], names, table.name)
            records = json.loads(self.get(f"/donnees/ciec/{table.name}.json").content)
            self.assertEqual(len(records), len(rows) - 1, table.name)
            self.assertTrue(all(list(r) == names for r in records), table.name)
            sheet = load_workbook(io.BytesIO(self.get(f"/donnees/ciec/{table.name}.xlsx").content)).active
            self.assertEqual([c.value for c in next(sheet.iter_rows())], names, table.name)
            self.assertEqual(sheet.max_row, len(rows), table.name)

    def test_values_keep_their_types_and_meaning(self):
        rows = json.loads(self.get("/donnees/ciec/observations.json").content)
        orchestras = next(r for r in rows if r["indicator"] == "reseau-des-conservatoires/nouveaux-orchestres")
        self.assertEqual(
            (orchestras["value"], orchestras["date"], orchestras["date_precision"]), (19, "2016-12-01", "month")
        )
        fundings = list(csv.DictReader(io.StringIO(self.get("/donnees/ciec/fundings.csv").content.decode())))
        self.assertEqual(fundings[0]["amount"], "6000000000")
        self.assertEqual(
            len(rows), Observation.objects.public().filter(indicator__measure__programme__slug="ciec").count()
        )
        initiatives = Initiative.objects.public().filter(programme__slug="ciec").count()
        self.assertEqual(len(json.loads(self.get("/donnees/ciec/initiatives.json").content)), initiatives)

    def test_the_page_lists_every_download(self):
        html = self.get("/donnees/").content.decode()
        for table in TABLES:
            for extension in ("csv", "json", "xlsx"):
                self.assertIn(f'href="/donnees/ciec/{table.name}.{extension}"', html)
        self.assertIn('href="/donnees/ciec/datapackage.json"', html)
        self.assertIn('href="/donnees/ciec/barometre/synthese-departemental.csv"', html)

    def test_unknown_tables_and_programmes_are_not_found(self):
        for url in [
            "/donnees/ciec/nope.csv",
            "/donnees/nope/measures.csv",
            "/donnees/ciec/measures.pdf",
            "/donnees/ciec/barometre/nope.csv",
            "/donnees/ciec/nope.schema.json",
        ]:
            self.get(url, 404)


class DataPackageTests(OpenDataTestCase):
    def test_the_exported_package_validates_with_frictionless(self):
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            call_command("export_opendata", "ciec", "-o", folder, verbosity=0)
            report = frictionless.validate(str(Path(folder) / "datapackage.json"))
            self.assertTrue(report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"]))
            self.assertEqual(len(report.tasks), len(TABLES))

    def test_the_served_package_points_to_the_downloads(self):
        package = self.get("/donnees/ciec/datapackage.json").json()
        self.assertEqual(package["licenses"][0]["name"], "etalab-2.0")
        paths = [resource["path"] for resource in package["resources"]]
        self.assertIn("http://testserver/donnees/ciec/observations.csv", paths)
        for path in paths:
            self.get(path.removeprefix("http://testserver"))


def value_format(value: str) -> str:
    """The kind of value a Baromètre cell holds: empty, number (100.0), date (2022-10-31), code, text."""
    if value == "":
        return "empty"
    if re.fullmatch(r"-?\d+\.\d+", value):
        return "number"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "date"
    if re.fullmatch(r"\d[\dAB]\d?", value):
        return "code"
    return "text"


class BarometreLayoutTests(OpenDataTestCase):
    def test_each_file_has_exactly_the_published_columns_in_order(self):
        for name in barometre.FILES:
            published = (PUBLISHED / f"barometre-resultats-{name}.csv").read_text().splitlines()[0]
            ours = self.get(f"/donnees/ciec/barometre/{name}.csv").content.decode().splitlines()[0]
            self.assertEqual(ours, published, name)

    def test_values_are_written_the_way_the_published_files_write_them(self):
        for name in barometre.FILES:
            published = list(csv.DictReader((PUBLISHED / f"barometre-resultats-{name}.csv").open()))
            expected = {column: {value_format(row[column]) for row in published} for column in published[0]}
            ours = list(
                csv.DictReader(io.StringIO(barometre.to_csv(Indicator.objects.first().measure.programme, name)))
            )
            for row in ours:
                for column, value in row.items():
                    kind = value_format(value)
                    self.assertTrue(
                        kind == "empty" or kind in expected[column] or expected[column] == {"text"},
                        f"{name}: {column}={value!r} is {kind}, published {expected[column]}",
                    )

    def test_the_national_synthesis_carries_current_target_and_percentage(self):
        rows = list(
            csv.DictReader(io.StringIO(self.get("/donnees/ciec/barometre/synthese-national.csv").content.decode()))
        )
        orchestras = next(r for r in rows if r["id_indicateur"] == "nouveaux-orchestres")
        self.assertEqual(
            (
                orchestras["valeur_actuelle"],
                orchestras["date_valeur_actuelle"],
                orchestras["cible"],
                orchestras["pourcentage_cible"],
                orchestras["date_cible"],
                orchestras["maille_geographique"],
            ),
            ("19.0", "2016-12-31", "30.0", "63.0", "2018-12-31", "national"),
        )
        schools = next(r for r in rows if r["id_indicateur"] == "structures-de-retour-a-l-ecole")
        self.assertEqual(
            (schools["valeur_initiale"], schools["progression"], schools["pourcentage_progression"]),
            ("12.0", "32.0", "267.0"),
        )

    def test_departemental_and_regional_files_list_territorial_values(self):
        indicator = Indicator.objects.get(slug="nouveaux-orchestres")
        for code, year, value in [("dep:33", 2017, 2), ("dep:33", 2018, 3), ("reg:75", 2018, 4)]:
            ObservationFactory(
                indicator=indicator,
                territory_id=code,
                date=datetime.date(year, 1, 1),
                date_precision="year",
                value=value,
            )
        rows = list(
            csv.DictReader(io.StringIO(barometre.to_csv(indicator.measure.programme, "synthese-departemental")))
        )
        self.assertEqual(
            [
                (
                    r["code_departement"],
                    r["libelle_departement"],
                    r["valeur_actuelle"],
                    r["progression_derniere_maj"],
                    r["pourcentage_progression_derniere_maj"],
                )
                for r in rows
            ],
            [("33", "Gironde", "3.0", "2.0", "50.0")],
        )
        detail = list(csv.DictReader(io.StringIO(barometre.to_csv(indicator.measure.programme, "detail-regional"))))
        self.assertEqual([(r["code_region"], r["date"], r["valeur"]) for r in detail], [("75", "2018-12-31", "4.0")])


class CatalogTests(OpenDataTestCase):
    def test_the_dcat_catalogue_lists_each_programme_with_working_downloads(self):
        response = self.get("/donnees/catalogue.jsonld")
        self.assertTrue(response["Content-Type"].startswith("application/ld+json"))
        catalog = json.loads(response.content)
        self.assertEqual(catalog["@type"], "dcat:Catalog")
        [dataset] = catalog["dcat:dataset"]
        self.assertEqual(dataset["dct:identifier"], "suivi-ciec")
        self.assertIn("dct:modified", dataset)
        distributions = dataset["dcat:distribution"]
        self.assertEqual(len(distributions), len(TABLES) * 3 + len(barometre.FILES) + 1)
        for distribution in distributions:
            self.get(distribution["dcat:downloadURL"]["@id"].removeprefix("http://testserver"))


class FeedTests(OpenDataTestCase):
    def entries(self, url: str) -> list[tuple[str, str]]:
        response = self.get(url)
        self.assertTrue(response["Content-Type"].startswith("application/atom+xml"))
        root = ET.fromstring(response.content)
        return [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href")) for e in root.iter(f"{ATOM}entry")]

    def test_the_programme_feed_has_values_measures_and_initiatives(self):
        titles = [title for title, _ in self.entries("/flux/ciec.atom")]
        self.assertEqual(len(titles), 50)
        self.assertTrue(any(t.startswith("Nouvelle valeur : ") for t in titles))
        self.assertTrue(any(t.startswith("Nouvelle initiative locale : ") for t in titles))

    def test_a_new_value_and_a_status_change_come_first(self):
        indicator = Indicator.objects.get(slug="nouveaux-orchestres")
        ObservationFactory(
            indicator=indicator, territory_id="fr", date=datetime.date(2018, 1, 1), date_precision="year", value=30
        )
        measure = Measure.objects.get(slug="reseau-des-conservatoires")
        measure.status = "done"
        with recorded():
            measure.save()
        titles = [title for title, _ in self.entries("/flux/ciec/mesures/reseau-des-conservatoires.atom")]
        self.assertEqual(titles[0], "Un réseau des conservatoires pour la formation artistique des jeunes : réalisée")
        self.assertEqual(titles[1], "Nouvelle valeur : Nouveaux orchestres créés — 30\u00a0orchestres (2018, fr)")

    def test_a_territory_feed_follows_what_happens_there(self):
        entries = self.entries("/flux/territoires/dep-28.atom")
        self.assertEqual(
            [title for title, _ in entries],
            [
                "Nouvelle initiative locale : Dreux et Vernouillet : protocole de préfiguration du NPNRU "
                "pour les quartiers des Bâtes et de la Tabellionne"
            ],
        )
        self.assertTrue(entries[0][1].endswith("/programmes/ciec/initiatives/npnru-dreux-vernouillet/"))
        self.assertEqual(self.entries("/flux/territoires/com-78643.atom"), [])
        self.get("/flux/territoires/dep-99.atom", 404)
        self.get("/flux/nope.atom", 404)


class FrenchLabelsTests(OpenDataTestCase):
    def test_coded_columns_have_a_french_label_beside_the_stable_code(self):
        rows = list(csv.DictReader(io.StringIO(self.get("/donnees/ciec/measures.csv").content.decode())))
        statuses = {(r["status"], r["status_libelle"]) for r in rows}
        self.assertIn(("in_progress", "en cours"), statuses)
        self.assertIn(("done", "réalisée"), statuses)
        rows = list(csv.DictReader(io.StringIO(self.get("/donnees/ciec/observations.csv").content.decode())))
        self.assertIn(("month", "mois"), {(r["date_precision"], r["date_precision_libelle"]) for r in rows})
        self.assertIn(("more_than", "plus de"), {(r["qualifier"], r["qualifier_libelle"]) for r in rows})

    def test_the_table_schema_lists_the_codes_and_describes_in_french(self):
        schema = self.get("/donnees/ciec/measures.schema.json").json()
        status = next(f for f in schema["fields"] if f["name"] == "status")
        self.assertEqual(status["constraints"]["enum"], ["planned", "in_progress", "done", "abandoned"])
        self.assertIn("in_progress : en cours", status["description"])
        english = ("Identifier", "Slug", "Title.", "Name.", "Rank", "separated by")
        for name in ("measures", "indicators", "observations", "fundings", "sources"):
            fields = self.get(f"/donnees/ciec/{name}.schema.json").json()["fields"]
            self.assertEqual([f["name"] for f in fields if any(w in f["description"] for w in english)], [], name)
        self.assertIn("Les engagements du programme.", self.get("/donnees/").content.decode())
