"""The Baromètre as a second real programme: its catalogue document, then its values through
the generic importer and the mapping files shipped beside it (as `make data` does).

The whole national history and one département's file (Indre) are imported once for the
class; pages, API and the Baromètre-layout download are then checked against the published
files, row for row.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase

from suivi.catalogue.models import Programme
from suivi.imports import engine
from suivi.imports.mapping import Mapping
from suivi.imports.models import JobState
from suivi.imports.tests.test_targets import TargetChecks
from suivi.indicators.models import Indicator, Observation

HERE = Path(settings.BASE_DIR) / "data" / "programmes" / "barometre"
NATIONAL = HERE / "source" / "barometre-resultats-detail-national.csv"
INDRE = HERE / "source" / "departements" / "barometre-resultats-detail-departement-36.csv"


def published_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class BarometreTests(TargetChecks, TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_programme", "barometre", verbosity=0)
        cls.programme = Programme.objects.get(slug="barometre")
        cls.jobs = []
        for path, mapping in (
            (NATIONAL, "import-detail-national.yaml"),
            (INDRE, "import-detail-departemental.yaml"),
        ):
            job = engine.create_job(cls.programme, None, [path], mapping=Mapping.load(HERE / mapping), publish=True)
            cls.jobs.append(engine.run(job))

    def test_the_catalogue_and_every_published_row_are_imported(self):
        self.assertEqual(self.programme.measures.count(), 43)
        self.assertEqual(Indicator.objects.filter(measure__programme=self.programme).count(), 57)
        for job, path in zip(self.jobs, (NATIONAL, INDRE), strict=True):
            self.assertEqual(job.state, JobState.DONE, job.errors)
            rows = published_rows(path)
            keys = {(r["id_indicateur"], r["date"]) for r in rows}
            self.assertEqual(job.counts["new"], len(keys))
            self.assertEqual(job.counts["new"] + job.counts["repeated"], len(rows))
        self.assertEqual(Observation.objects.filter(territory_id="dep:36").count(), self.jobs[1].counts["new"])

    def test_a_target_below_the_initial_value_is_lower_is_better(self):
        morts = Indicator.objects.get(slug="nb-morts-routes")
        self.assertIsNone(morts.target_value)  # the file gives none: none is invented
        ulis = Indicator.objects.get(slug="nombre-creation-ulis")
        self.assertEqual(ulis.direction, "increase")
        decreasing = [i.slug for i in Indicator.objects.filter(measure__programme=self.programme, direction="decrease")]
        for slug in decreasing:
            indicator = Indicator.objects.get(slug=slug)
            self.assertLess(indicator.target_value, indicator.baseline_value)

    def test_the_departement_page_shows_its_values_series_and_the_national_value(self):
        response = self.client.get("/territoires/dep-36/")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        rows = [r for r in published_rows(INDRE) if r["id_indicateur"] == "tx-detenus-formation"]
        latest = max(rows, key=lambda r: r["date"])
        self.assertIn("Taux de personnes détenues ayant bénéficié d&#x27;une formation", page)
        self.assertIn("<line-chart", page)
        self.assertIn("ligne ", page)  # the source names the file's line
        values = response.context["values"]
        detenus = next(v for v in values if v.indicator.slug == "tx-detenus-formation")
        self.assertEqual(float(detenus.value), float(latest["valeur"]))
        self.assertEqual(len(detenus.series.points), len(rows))
        self.assertIsNotNone(detenus.national)

    def test_the_measure_page_maps_the_indicator_by_departement(self):
        indicator = Indicator.objects.get(slug="tx-detenus-formation")
        response = self.client.get(f"/programmes/barometre/mesures/{indicator.measure.slug}/")
        self.assertEqual(response.status_code, 200)
        view = next(v for v in response.context["indicators"] if v.indicator == indicator)
        data = json.loads(view.departements.chart_data)
        rows = [r for r in published_rows(INDRE) if r["id_indicateur"] == "tx-detenus-formation"]
        self.assertEqual(data, {"36": float(max(rows, key=lambda r: r["date"])["valeur"])})
        self.assertContains(response, "<map-chart")

    def test_the_barometre_layout_download_gives_back_the_published_values(self):
        response = self.client.get("/donnees/barometre/barometre/detail-departemental.csv")
        self.assertEqual(response.status_code, 200)
        exported = {
            (r["id_indicateur"], r["code_departement"], r["date"]): r["valeur"]
            for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
        }
        published = {(r["id_indicateur"], r["code_departement"], r["date"]): r["valeur"] for r in published_rows(INDRE)}
        self.assertEqual(exported, published)

    def test_the_api_gives_the_same_figures(self):
        rows = [r for r in published_rows(INDRE) if r["id_indicateur"] == "tx-detenus-formation"]
        measure = Indicator.objects.get(slug="tx-detenus-formation").measure.slug
        response = self.client.get(
            f"/api/v1/observations?indicator=barometre/{measure}/tx-detenus-formation&territory=dep:36&page_size=100"
        )
        self.assertEqual(response.status_code, 200, response.content)
        items = response.json()["results"]
        self.assertEqual(sorted(float(i["value"]) for i in items), sorted(float(r["valeur"]) for r in rows))

    def test_a_departement_report_gives_each_value_beside_the_national_one(self):
        from suivi.reports import build, render
        from suivi.reports.tests.test_report import flat, pdf_text
        from suivi.ui.formatting import long_quantity

        report = build.build("barometre", territory="dep:36")
        text = flat(pdf_text(render.pdf(report)))
        self.assertIn("Baromètre des résultats de l’action publique Territoire : Indre (36)", text)
        rows = {}
        for row in published_rows(INDRE):
            if row["id_indicateur"] not in rows or row["date"] > rows[row["id_indicateur"]]["date"]:
                rows[row["id_indicateur"]] = row
        shown = {v.indicator: v for a in report.axes for m in a.measures for v in m.territory_values}
        self.assertEqual(len(shown), len(rows))
        for slug, row in rows.items():
            indicator = Indicator.objects.get(slug=slug)
            latest = Observation.objects.filter(indicator=indicator, territory_id="dep:36").order_by("-date").first()
            self.assertEqual(str(latest.value.normalize()), str(Decimal(row["valeur"]).normalize()), slug)
            line = shown[indicator.name]
            self.assertEqual(line.value, long_quantity(latest.value, indicator.unit, latest.qualifier))
            national = Observation.objects.filter(indicator=indicator, territory_id="fr", date=latest.date).first()
            if national is not None:
                self.assertEqual(line.national, long_quantity(national.value, indicator.unit, national.qualifier))
            self.assertIn(flat(line.value), text)
        self.assertIn("Baromètre des résultats — détail, département 36", text)
        self.assertRegex(text, r"ligne \d+ du fichier")
