"""Territorial targets (run from test_barometre.py): the Baromètre's synthesis files through
`import_targets` and the mapping files shipped beside the catalogue; every error listed with
file, line and column, nothing written then; the same file twice changes nothing; a
département page measures the département's values against its own goal."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command

from suivi.catalogue.models import Programme
from suivi.contributions.models import RoleKind
from suivi.contributions.rights import NotAllowed
from suivi.factories import RoleFactory, UserFactory
from suivi.imports.mapping import Mapping
from suivi.imports.targets import TargetsRefused, import_targets
from suivi.indicators.models import Observation, TerritorialTarget
from suivi.sources.models import ChangeSet

HERE = Path(settings.BASE_DIR) / "data" / "programmes" / "barometre"
DEPARTEMENTAL = HERE / "source" / "barometre-resultats-synthese-departemental.csv"
REGIONAL = HERE / "source" / "barometre-resultats-synthese-regional.csv"


def rows_of(path: Path, **where) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, [r for r in reader if all(r[k] == v for k, v in where.items())]


def write(path: Path, header: list[str], rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.DictWriter(handle, header)
        out.writeheader()
        out.writerows(rows)
    return path


class TargetChecks:
    """Run by ``test_barometre.BarometreTests``, whose set-up (the Baromètre's catalogue, its
    national values and Indre's) they share: loading it costs more than these tests."""

    programme: Programme
    mapping = Mapping.load(HERE / "targets-departemental.yaml")

    def indre_file(self, tmp: Path) -> Path:
        header, rows = rows_of(DEPARTEMENTAL, code_departement="36")
        return write(tmp / "synthese-indre.csv", header, rows)

    def test_targets_the_regional_synthesis_gives_each_region_its_goals_and_a_second_run_changes_nothing(self):
        result = import_targets(self.programme, [REGIONAL], Mapping.load(HERE / "targets-regional.yaml"))
        _header, rows = rows_of(REGIONAL)
        stated = [r for r in rows if r["valeur_initiale"] or r["cible"]]  # a row without either writes nothing
        keys = {(r["id_indicateur"], r["code_region"]) for r in stated}
        self.assertEqual((result.rows, result.new, result.changed), (len(rows), len(keys), 0))
        self.assertEqual(result.empty, len(rows) - len(stated))
        self.assertEqual(result.repeated, len(stated) - len(keys))  # one indicator listed under two labels
        row = next(r for r in rows if r["code_region"] == "24" and r["cible"])
        goal = TerritorialTarget.objects.get(indicator__slug=row["id_indicateur"], territory="reg:24")
        self.assertEqual(goal.target_value, Decimal(row["cible"]))
        self.assertEqual(
            (goal.target_deadline, goal.target_precision),
            (datetime.date.fromisoformat(row["date_cible"]).replace(day=1), "month"),  # the Baromètre's month end
        )
        self.assertEqual(goal.source.document.file_path, str(REGIONAL.relative_to(settings.BASE_DIR)))
        self.assertEqual(goal.history.first().change_set, result.change_set)
        change_sets = ChangeSet.objects.count()
        again = import_targets(self.programme, [REGIONAL], Mapping.load(HERE / "targets-regional.yaml"))
        self.assertEqual((again.new, again.changed, again.same), (0, 0, len(keys)))
        self.assertEqual(ChangeSet.objects.count(), change_sets)

    def test_targets_a_departement_page_measures_its_values_against_its_own_goal(self):
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            call_command(
                "import_targets", str(self.indre_file(Path(tmp))), "--programme", "barometre",
                "--mapping", str(HERE / "targets-departemental.yaml"), verbosity=0,
            )  # fmt: skip
        _header, rows = rows_of(DEPARTEMENTAL, code_departement="36")
        row = next(r for r in rows if r["id_indicateur"] == "tx-classes-cp-ce1-rep")
        page = self.client.get("/territoires/dep-36/")
        self.assertContains(page, "Objectif du territoire")
        goal = TerritorialTarget.objects.get(indicator__slug="tx-classes-cp-ce1-rep", territory="dep:36")
        self.assertEqual(goal.target_value, Decimal(row["cible"]))
        body = page.content.decode()
        cell = body[body.index("Part des classes de CP et CE1") :][:3000]
        self.assertIn("valeur initiale", cell)
        self.assertRegex(cell, r"fr-badge--(success|info|warning|error)|Atteint|atteint")
        # An indicator without a goal for Indre says so.
        self.assertContains(page, "pas d’objectif pour ce territoire")
        # The API gives the same goal, latest value and progress as the page.
        key = f"barometre/{goal.indicator.measure.slug}/{goal.indicator.slug}"
        answer = self.client.get(f"/api/v1/territorial-targets?territory=dep:36&indicator={key}").json()
        self.assertEqual(answer["count"], 1)
        (served,) = answer["results"]
        self.assertEqual((served["indicator"], served["territory"]), (key, "dep:36"))
        self.assertEqual(Decimal(str(served["target"]["value"])), goal.target_value)
        self.assertEqual(served["target"]["deadline"], goal.target_deadline.isoformat())
        self.assertEqual(Decimal(str(served["baseline"]["value"])), goal.baseline_value)
        latest = Observation.objects.filter(indicator=goal.indicator, territory="dep:36").latest("date")
        self.assertEqual(
            (Decimal(str(served["latest"]["value"])), served["latest"]["date"]),
            (latest.value, latest.date.isoformat()),
        )
        self.assertNotEqual(served["progress"]["status"], "no_data")
        self.assertIn(served["progress"]["label"].lower(), cell.lower())
        self.assertEqual(served["source_line"], goal.source_line)
        everywhere = self.client.get("/api/v1/territorial-targets?programme=barometre&level=dep").json()
        self.assertEqual(everywhere["count"], TerritorialTarget.objects.filter(territory__level="dep").count())
        self.assertEqual(self.client.get("/api/v1/territorial-targets?indicator=barometre/x/y").status_code, 404)

    def test_targets_every_bad_row_is_listed_with_file_line_and_column_and_nothing_is_written(self):
        import tempfile

        header, rows = rows_of(DEPARTEMENTAL, code_departement="36")
        bad = [dict(r) for r in rows[:6]]
        bad[0]["id_indicateur"] = "inconnu"
        bad[1]["cible"] = "12,5,0"
        bad[2]["code_departement"] = "999"
        bad[3]["date_cible"] = "" if bad[3]["cible"] else bad[3]["date_cible"]
        bad[3]["cible"] = bad[3]["cible"] or "10"
        bad[4]["date_cible"] = ""
        conflicting = dict(rows[5], cible="1" if rows[5]["cible"] != "1" else "2", date_cible="2022-12-31")
        with tempfile.TemporaryDirectory() as tmp:
            path = write(Path(tmp) / "mauvais.csv", header, [*bad, conflicting])
            with self.assertRaises(TargetsRefused) as refused:
                import_targets(self.programme, [path], self.mapping)
        messages = [str(p) for p in refused.exception.problems]
        self.assertIn(
            "mauvais.csv:2: id_indicateur: indicateur « inconnu » inconnu dans le programme barometre", messages
        )
        self.assertTrue(any(m.startswith("mauvais.csv:3: cible: ") and "12,5,0" in m for m in messages), messages)
        self.assertTrue(any(m.startswith("mauvais.csv:4: code_departement: ") for m in messages), messages)
        self.assertTrue(any(m.startswith("mauvais.csv:5: date_cible: une cible sans échéance") for m in messages))
        self.assertTrue(any(m.startswith("mauvais.csv:8: ") and "figure déjà ligne 7" in m for m in messages))
        self.assertFalse(TerritorialTarget.objects.exists())

    def test_targets_only_the_programme_team_imports_targets_and_mappings_are_not_mixed_up(self):
        contributor = UserFactory()
        RoleFactory(user=contributor, programme=self.programme, kind=RoleKind.CONTRIBUTOR)
        with self.assertRaises(NotAllowed):
            import_targets(self.programme, [REGIONAL], Mapping.load(HERE / "targets-regional.yaml"), contributor)
        editor = UserFactory()
        RoleFactory(user=editor, programme=self.programme, kind=RoleKind.EDITOR)
        result = import_targets(
            self.programme, [REGIONAL], Mapping.load(HERE / "targets-regional.yaml"), editor, dry_run=True
        )
        self.assertGreater(result.new, 0)
        self.assertFalse(TerritorialTarget.objects.exists())  # a dry run writes nothing
        with self.assertRaisesMessage(CommandError, "use import_targets"):
            call_command(
                "import_values", str(REGIONAL), "--programme", "barometre",
                "--mapping", str(HERE / "targets-regional.yaml"),
            )  # fmt: skip
        with self.assertRaisesMessage(CommandError, "kind: expected targets"):
            call_command(
                "import_targets", str(REGIONAL), "--programme", "barometre",
                "--mapping", str(HERE / "import-detail-regional.yaml"),
            )  # fmt: skip
