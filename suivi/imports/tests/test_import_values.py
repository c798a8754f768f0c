"""Imports of values through the one write path: forms of cells, errors, all-or-nothing, rights, history.

Each test writes a real file (CSV in several encodings and delimiters, XLSX) and runs the
same engine the command and the upload page run, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime
import tempfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase
from openpyxl import Workbook

from suivi.contributions.models import RoleKind
from suivi.contributions.workflow import Status
from suivi.factories import IndicatorFactory, ObservationFactory, RoleFactory, UserFactory
from suivi.imports import engine
from suivi.imports.mapping import Mapping, MappingError
from suivi.imports.models import JobState, StagedValue
from suivi.indicators.models import Observation
from suivi.sources.models import ChangeSet, Origin
from suivi.sources.precision import DatePrecision, Qualifier

HEADER = "indicateur,territoire,date,valeur\n"


class ImportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.jeunes = IndicatorFactory(
            slug="jeunes-accompagnes", name="Jeunes accompagnés", unit="jeunes", measure__slug="garantie"
        )
        cls.programme = cls.jeunes.measure.programme
        cls.part = IndicatorFactory(slug="part-classes", unit="%", measure=cls.jeunes.measure)
        cls.other_measure_indicator = IndicatorFactory(
            slug="orchestres", unit="orchestres", measure__axis=cls.jeunes.measure.axis, measure__slug="demos"
        )
        cls.team = UserFactory(username="equipe")
        RoleFactory(user=cls.team, kind=RoleKind.REVIEWER, programme=cls.programme)
        cls.prefecture = UserFactory(username="prefecture-indre")
        RoleFactory(user=cls.prefecture, programme=cls.programme, territories=["dep:36"])
        cls.outsider = UserFactory(username="sans-role")

    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())

    def write(self, text: str, name: str = "valeurs.csv", encoding: str = "utf-8") -> Path:
        path = self.folder / name
        path.write_bytes(text.encode(encoding))
        return path

    def run_import(self, *paths, user=None, mapping=None, publish=False, dry_run=False):
        job = engine.create_job(self.programme, user or self.team, list(paths), mapping=mapping, publish=publish)
        return engine.run(job, dry_run=dry_run)

    def assert_refused(self, job, *fragments):
        self.assertEqual(job.state, JobState.FAILED)
        text = "\n".join(str(engine.Problem(**p)) for p in job.errors)
        for fragment in fragments:
            self.assertIn(fragment, text)
        return text

    def snapshot(self):
        history = Observation.history.model.objects
        return (
            list(Observation.objects.order_by("pk").values_list("pk", "value", "status", "version")),
            history.count(),
            ChangeSet.objects.count(),
        )


class FormsOfCellsTests(ImportTestCase):
    def test_every_territory_code_form_reads_to_the_same_keys(self):
        rows = [
            ("dep:36", "dep:36"),
            ("D36", "dep:36"),
            ("R24", "reg:24"),
            ("N", "fr"),
            ("fr", "fr"),
            ("com-36044", "com:36044"),
            ("36044", "com:36044"),
            ("C36044", "com:36044"),
            ("Châteauroux", "com:36044"),
            ("CHATEAUROUX", "com:36044"),
            ("2A004", "com:2A004"),
            ("dep:2a", "dep:2A"),
            ("971", "dep:971"),
            ("200071082", "epci:200071082"),
        ]
        text = HEADER + "".join(f"jeunes-accompagnes,{code},{2000 + i},{i}\n" for i, (code, _) in enumerate(rows))
        mapping = Mapping.from_dict({"format": "suivi-import/1", "territory": {"level": "dep"}})
        mapping.columns = {"indicator": "indicateur", "territory": "territoire", "date": "date", "value": "valeur"}
        job = self.run_import(self.write(text), mapping=mapping)
        self.assertEqual(job.state, JobState.DONE, job.errors)
        stored = dict(Observation.objects.values_list("date__year", "territory_id"))
        self.assertEqual([stored[2000 + i] for i in range(len(rows))], [key for _, key in rows])

    def test_a_bare_two_digit_code_needs_a_level_and_a_homonym_needs_a_code(self):
        job = self.run_import(
            self.write(HEADER + "jeunes-accompagnes,36,2016,1\njeunes-accompagnes,Vernouillet,2016,2\n")
        )
        text = self.assert_refused(job, "valeurs.csv:2: territoire:", "donnez le niveau", "valeurs.csv:3: territoire:")
        self.assertIn("com:28404", text)
        self.assertIn("com:78643", text)

    def test_french_and_english_numbers_and_qualifiers(self):
        cells = {
            "12,5": (Decimal("12.5"), Qualifier.EXACT),
            "12.5": (Decimal("12.5"), Qualifier.EXACT),
            "1 675": (Decimal(1675), Qualifier.EXACT),
            "1\u00a0675": (Decimal(1675), Qualifier.EXACT),
            "1\u00a0675,5": (Decimal("1675.5"), Qualifier.EXACT),
            "45 %": (Decimal(45), Qualifier.EXACT),
            "plus de 40": (Decimal(40), Qualifier.MORE_THAN),
            "près de 100 000": (Decimal(100000), Qualifier.NEARLY),
            "1,675.25": (Decimal("1675.25"), Qualifier.EXACT),
        }
        text = "indicateur;territoire;date;valeur\n" + "".join(
            f"jeunes-accompagnes;fr;{2000 + i};{cell}\n" for i, cell in enumerate(cells)
        )
        job = self.run_import(self.write(text, encoding="cp1252"))
        self.assertEqual(job.state, JobState.DONE, job.errors)
        stored = {o.date.year: (o.value, o.qualifier) for o in Observation.objects.all()}
        self.assertEqual([stored[2000 + i] for i in range(len(cells))], list(cells.values()))

    def test_days_months_quarters_years_and_the_end_of_period_convention(self):
        text = HEADER + "".join(
            f"jeunes-accompagnes,{place},{date},1\n"
            for place, date in [
                ("fr", "31/12/2016"),
                ("dep:36", "12/2016"),
                ("dep:18", "décembre 2016"),
                ("dep:37", "T4 2016"),
                ("dep:41", "2016-Q3"),
                ("dep:45", "2016"),
                ("dep:28", "2016-12-31"),
            ]
        )
        job = self.run_import(self.write(text))
        self.assertEqual(job.state, JobState.DONE, job.errors)
        got = {o.territory_id: (o.date, o.date_precision) for o in Observation.objects.all()}
        self.assertEqual(got["fr"], (datetime.date(2016, 12, 31), DatePrecision.DAY))
        self.assertEqual(got["dep:36"], (datetime.date(2016, 12, 1), DatePrecision.MONTH))
        self.assertEqual(got["dep:18"], (datetime.date(2016, 12, 1), DatePrecision.MONTH))
        self.assertEqual(got["dep:37"], (datetime.date(2016, 10, 1), DatePrecision.QUARTER))
        self.assertEqual(got["dep:41"], (datetime.date(2016, 7, 1), DatePrecision.QUARTER))
        self.assertEqual(got["dep:45"], (datetime.date(2016, 1, 1), DatePrecision.YEAR))

        # The Baromètre's convention: a month's last day stands for the month.
        mapping = Mapping.from_dict({"format": "suivi-import/1", "date": {"precision": "month", "convention": "end"}})
        job = self.run_import(self.write(HEADER + "part-classes,dep:23,2018-03-31,5\n", "fin.csv"), mapping=mapping)
        self.assertEqual(job.state, JobState.DONE, job.errors)
        value = Observation.objects.get(territory_id="dep:23")
        self.assertEqual((value.date, value.date_precision), (datetime.date(2018, 3, 1), DatePrecision.MONTH))
        job = self.run_import(self.write(HEADER + "part-classes,dep:23,2018-03-15,5\n", "milieu.csv"), mapping=mapping)
        self.assert_refused(job, "milieu.csv:2: date:", "n’est pas le dernier jour")

    def test_xlsx_with_real_numbers_and_dates(self):
        book = Workbook()
        sheet = book.active
        sheet.append(["indicateur", "territoire", "date", "valeur"])
        sheet.append(["jeunes-accompagnes", "dep:36", datetime.date(2016, 12, 31), 1675])
        sheet.append(["jeunes-accompagnes", "dep:18", "12/2016", "12,5"])
        sheet.append(["part-classes", "fr", 2017, 45.5])
        path = self.folder / "valeurs.xlsx"
        book.save(path)
        job = self.run_import(path)
        self.assertEqual(job.state, JobState.DONE, job.errors)
        got = {(o.indicator.slug, o.territory_id): (o.value, o.date) for o in Observation.objects.all()}
        self.assertEqual(got[("jeunes-accompagnes", "dep:36")], (Decimal(1675), datetime.date(2016, 12, 31)))
        self.assertEqual(got[("jeunes-accompagnes", "dep:18")], (Decimal("12.5"), datetime.date(2016, 12, 1)))
        self.assertEqual(got[("part-classes", "fr")], (Decimal("45.5"), datetime.date(2017, 1, 1)))

    def test_tab_separated_with_a_byte_order_mark(self):
        text = "\ufeffindicateur\tterritoire\tdate\tvaleur\njeunes-accompagnes\tdep:36\t2016\t7\n"
        job = self.run_import(self.write(text, "valeurs.tsv"))
        self.assertEqual(job.state, JobState.DONE, job.errors)
        self.assertEqual(Observation.objects.get().value, 7)


class ErrorTests(ImportTestCase):
    def test_every_error_is_listed_with_file_line_and_column_and_nothing_is_written(self):
        ObservationFactory(indicator=self.jeunes, territory_id="fr", date=datetime.date(2015, 1, 1), value=3)
        before = self.snapshot()
        text = (
            HEADER
            + "jeunes-accompagnes,dep:36,2016,10\n"  # 2: good
            + "inconnu,dep:36,2016,10\n"  # 3: unknown indicator
            + "jeunes-accompagnes,dep:999,2016,10\n"  # 4: unknown territory
            + 'jeunes-accompagnes,dep:18,2016,"12,5,0"\n'  # 5: bad number
            + "jeunes-accompagnes,dep:37,1850,1\n"  # 6: date out of range
            + "jeunes-accompagnes,dep:41,2016,10\n"  # 7
            + "jeunes-accompagnes,dep:41,2016,10\n"  # 8: duplicate of 7
            + "jeunes-accompagnes,dep:45,2016,10\n"  # 9
            + "jeunes-accompagnes,dep:45,2016,11\n"  # 10: contradicts 9
            + "jeunes-accompagnes,dep:28,pas une date,1\n"  # 11: not a date
        )
        job = self.run_import(self.write(text))
        report = self.assert_refused(
            job,
            "valeurs.csv:3: indicateur: indicateur « inconnu » inconnu",
            "valeurs.csv:4: territoire: aucun territoire n’a le code « dep:999 »",
            "valeurs.csv:5: valeur: « 12,5,0 » n’est pas un nombre",
            "valeurs.csv:6: date: « 1850 » est hors des dates admises",
            "valeurs.csv:11: date: « pas une date » n’est pas une date",
        )
        self.assertEqual(job.error_count, 5, report)  # the keys are checked once the cells are good
        self.assertEqual(self.snapshot(), before)
        self.assertFalse(StagedValue.objects.filter(job=job).exists())

        good_cells = HEADER + "".join(text.splitlines(keepends=True)[i] for i in (1, 6, 7, 8, 9))
        job = self.run_import(self.write(good_cells, "cles.csv"))
        self.assert_refused(
            job,
            "cles.csv:3: ligne en double (jeunes-accompagnes / dep:41 / 2016-01-01) : aussi ligne 4",
            "cles.csv:5: valeurs contradictoires pour jeunes-accompagnes / dep:45 / 2016-01-01 : cles.csv:5 → 10 ; "
            "cles.csv:6 → 11",
        )
        self.assertEqual(self.snapshot(), before)

    def test_no_right_on_this_scope_and_no_right_to_publish(self):
        before = self.snapshot()
        text = HEADER + "jeunes-accompagnes,com:36044,2016,1\njeunes-accompagnes,dep:18,2016,1\n"
        job = self.run_import(self.write(text), user=self.prefecture)
        self.assert_refused(
            job,
            "valeurs.csv:3: territoire: vous n’avez pas le droit d’écrire « jeunes-accompagnes » pour Cher (dep:18)",
        )
        self.assertEqual(job.error_count, 1)
        job = self.run_import(
            self.write(HEADER + "jeunes-accompagnes,dep:36,2016,1\n"), user=self.prefecture, publish=True
        )
        self.assert_refused(job, "seule l’équipe du programme")
        job = self.run_import(self.write(HEADER + "jeunes-accompagnes,dep:36,2016,1\n"), user=self.outsider)
        self.assert_refused(job, "aucun droit d’écrire")
        self.assertEqual(self.snapshot(), before)

    def test_a_unit_that_is_not_the_indicators_is_refused(self):
        text = "indicateur,territoire,date,valeur,unite\njeunes-accompagnes,fr,2016,1,euros\n"
        job = self.run_import(self.write(text))
        self.assert_refused(job, "valeurs.csv:2: unite: unité « euros » ; l’indicateur est en « jeunes »")

    def test_bad_mappings_and_headers_name_what_is_wrong(self):
        with self.assertRaisesMessage(MappingError, "columns.valeur: unknown field"):
            Mapping.from_dict({"format": "suivi-import/1", "columns": {"valeur": "x"}})
        with self.assertRaisesMessage(MappingError, "territory.level: 'canton'"):
            Mapping.from_dict({"format": "suivi-import/1", "territory": {"level": "canton"}})
        job = self.run_import(self.write("indicateur,lieu,date,valeur\njeunes-accompagnes,fr,2016,1\n"))
        self.assert_refused(job, "valeurs.csv: line 1: no column for territory")
        job = self.run_import(self.write("", "vide.csv"))
        self.assert_refused(job, "vide.csv: the file is empty")


class WriteTests(ImportTestCase):
    TEXT = HEADER + "jeunes-accompagnes,dep:36,2016,10\njeunes-accompagnes,com:36044,2016,4\n"

    def test_a_contributors_values_wait_for_review_and_the_teams_can_be_published(self):
        job = self.run_import(self.write(self.TEXT), user=self.prefecture)
        self.assertEqual(job.state, JobState.DONE, job.errors)
        self.assertEqual(set(Observation.objects.values_list("status", flat=True)), {Status.SUBMITTED})
        self.assertEqual(job.change_set.origin, Origin.IMPORT)
        self.assertEqual(job.change_set.author, self.prefecture)
        job = self.run_import(self.write(self.TEXT), user=self.team, publish=True)
        self.assertEqual(job.counts, {"new": 0, "changed": 2, "same": 0, "repeated": 0})
        self.assertEqual(set(Observation.objects.values_list("status", flat=True)), {Status.PUBLISHED})

    def test_reimporting_the_same_file_changes_nothing(self):
        path = self.write(self.TEXT)
        first = self.run_import(path, publish=True)
        self.assertEqual(first.counts["new"], 2)
        before = self.snapshot()
        again = self.run_import(path, publish=True)
        self.assertEqual(again.state, JobState.DONE)
        self.assertEqual(again.counts, {"new": 0, "changed": 0, "same": 2, "repeated": 0})
        self.assertIsNone(again.change_set)
        self.assertEqual(self.snapshot(), before)

    def test_after_a_large_import_sqlite_folds_its_log_and_postgresql_learns_the_table_size(self):
        from unittest import mock

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with (
            mock.patch.object(engine, "ANALYZE_AFTER", 1),
            mock.patch.object(engine, "settle_sqlite", wraps=engine.settle_sqlite) as settle,
            CaptureQueriesContext(connection) as queries,
        ):
            job = self.run_import(self.write(self.TEXT), publish=True)
        self.assertEqual(job.counts["new"], 2)
        values = f"ANALYZE {Observation._meta.db_table}"
        analyses = [q["sql"] for q in queries if q["sql"] == values]
        if connection.vendor == "sqlite":
            settle.assert_called_once_with()  # (inside this test's transaction it waits for the engine)
            self.assertFalse(analyses)
        else:
            settle.assert_not_called()
            self.assertTrue(analyses)
        # A small import leaves both to the engine.
        with CaptureQueriesContext(connection) as queries:
            self.run_import(self.write(self.TEXT.replace(",10", ",11")), publish=True)
        self.assertFalse([q for q in queries if "wal_checkpoint" in q["sql"] or q["sql"] == values])

    def test_one_change_set_with_history_and_source_lines_then_reverted_as_a_whole(self):
        kept = ObservationFactory(indicator=self.jeunes, territory_id="dep:36", date=datetime.date(2016, 1, 1), value=9)
        path = self.write(self.TEXT + "jeunes-accompagnes,fr,2016,99\n")
        job = self.run_import(path, publish=True)
        self.assertEqual(job.counts, {"new": 2, "changed": 1, "same": 0, "repeated": 0})
        rows = Observation.history.model.objects.filter(change_set=job.change_set)
        self.assertEqual(sorted(rows.values_list("history_type", flat=True)), ["+", "+", "~"])
        kept.refresh_from_db()
        self.assertEqual((kept.value, kept.version, kept.source_line), (10, 2, 2))
        self.assertEqual(kept.source.document.sha256, engine.file_entry(path)["sha256"])
        national = Observation.objects.get(territory_id="fr")
        self.assertEqual((national.source_line, national.entered_by), (4, self.team))

        engine.revert(job, self.team)
        kept.refresh_from_db()
        self.assertEqual((kept.value, kept.status), (9, Status.PUBLISHED))
        self.assertEqual(
            set(Observation.objects.exclude(pk=kept.pk).values_list("status", flat=True)), {Status.WITHDRAWN}
        )
        job.refresh_from_db()
        self.assertEqual(job.state, JobState.REVERTED)
        self.assertEqual(job.revert_change_set.origin, Origin.IMPORT)

    def test_a_crash_while_writing_leaves_the_database_as_it_was(self):
        ObservationFactory(indicator=self.jeunes, territory_id="dep:36", date=datetime.date(2016, 1, 1), value=9)
        before = self.snapshot()
        job = engine.create_job(self.programme, self.team, [self.write(self.TEXT)], publish=True)
        engine.check(job)
        self.assertEqual(job.state, JobState.CHECKED)
        real_execute = engine.connection.cursor

        class Crash(RuntimeError):
            pass

        def crashing_cursor(*args, **kwargs):
            cursor = real_execute(*args, **kwargs)
            original = cursor.execute

            def execute(sql, params=None):
                if "INSERT INTO" in sql and "historical" in sql:
                    raise Crash("killed while writing the history")
                return original(sql, params)

            cursor.execute = execute
            return cursor

        with mock.patch.object(engine.connection, "cursor", crashing_cursor), self.assertRaises(Crash):
            engine.apply(job)
        self.assertEqual(self.snapshot(), before)
        job.refresh_from_db()
        self.assertEqual(job.state, JobState.FAILED)


class CommandTests(ImportTestCase):
    def test_dry_run_then_import_then_errors(self):
        path = self.write(HEADER + "jeunes-accompagnes,dep:36,2016,10\n")
        out = self.run_command(str(path), "--dry-run")
        self.assertIn("1 new values", out)
        self.assertIn("Dry run: nothing written", out)
        self.assertFalse(Observation.objects.exists())
        out = self.run_command(str(path), "--publish")
        self.assertIn("Written: 1", out)
        self.assertEqual(Observation.objects.get().status, Status.PUBLISHED)
        bad = self.write(HEADER + "jeunes-accompagnes,dep:36,2017,douze\n", "mauvais.csv")
        with self.assertRaisesMessage(CommandError, "1 error(s) in 1 file(s): nothing was imported"):
            self.run_command(str(bad))
        with self.assertRaisesMessage(CommandError, "No account with the email 'personne@example.org'."):
            self.run_command(str(bad), "--user", "personne@example.org")
        with self.assertRaisesMessage(CommandError, "No programme 'nulle-part'"):
            call_command("import_values", str(bad), "--programme", "nulle-part")

    def run_command(self, *args) -> str:
        import io

        out, err = io.StringIO(), io.StringIO()
        call_command("import_values", *args, "--programme", self.programme.slug, stdout=out, stderr=err)
        return out.getvalue() + err.getvalue()
