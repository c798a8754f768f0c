"""The CIEC progress report, made from the data in HTML and PDF, read back as a reader would.

The PDF is read with ``pdftotext`` (Debian's poppler-utils) and ``pypdf``: every measure
title, its decision tags, its key figures as the brochure writes them, its source notes;
the table of contents with page numbers, running headers, the tags and language a screen
reader needs. The CIEC document is loaded once for the class, the PDF made once.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone
from pypdf import PdfReader

from suivi.catalogue.models import Measure, Programme
from suivi.contributions.models import RoleKind
from suivi.factories import RoleFactory
from suivi.indicators.models import Observation
from suivi.indicators.services import ValueInput, save_value
from suivi.reports import build, render, services
from suivi.territories.models import COUNTRY_CODE
from suivi.ui.formatting import long_quantity

# The CIEC, loaded once for the module (conftest.py).
pytestmark = pytest.mark.usefixtures("ciec_for_module")


def pdf_text(data: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(["pdftotext", *args, handle.name, "-"], check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    """Whitespace (line breaks, no-break spaces) as single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def loose(text: str) -> str:
    """``flat``, without hyphens: pdftotext joins a word hyphenated at a line's end ("Outre-mer" → "Outremer")."""
    return flat(text).replace("-", "")


class CiecReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.programme = Programme.objects.get(slug="ciec")
        cls.report = build.build("ciec")
        cls.html = render.html(cls.report)
        cls.pdf = render.pdf(cls.report, cls.html)
        cls.text = flat(pdf_text(cls.pdf))

    def test_it_has_every_measure_title_with_its_decision_tags(self):
        measures = list(self.programme.measures.prefetch_related("decisions").order_by("position"))
        self.assertEqual(len(measures), 20)
        positions = []
        for measure in measures:
            self.assertIn(flat(measure.title), self.text)
            tags = " / ".join(f"Mesure {d.name}" for d in measure.decisions.order_by("number"))
            # The tags stand just before the title, as in the brochure.
            self.assertIn(f"{tags} {flat(measure.title)}", self.text, measure.slug)
            positions.append(self.text.index(f"{tags} {flat(measure.title)}"))
        self.assertEqual(positions, sorted(positions), "measures in the programme's order")

    def test_key_figures_are_written_as_the_brochure_writes_them(self):
        for words in (
            "7 000 démolitions",
            "6 milliards d’euros",
            "7,5 millions d’euros",
            "38 105 contrats",
            "1 675 jeunes",
            "plus de 40 protocoles",
            "près de 100 000 enfants par an",
        ):
            self.assertIn(words, self.text)
        self.assertNotIn("Md€", self.text)
        self.assertNotIn("M€", self.text)

    def test_every_latest_national_value_is_shown_with_its_date_and_a_note(self):
        latest: dict[int, Observation] = {}
        for value in Observation.objects.public().filter(territory_id=COUNTRY_CODE).select_related("indicator"):
            if value.indicator_id not in latest or value.date > latest[value.indicator_id].date:
                latest[value.indicator_id] = value
        self.assertGreater(len(latest), 30)
        for value in latest.values():
            shown = flat(long_quantity(value.value, value.indicator.unit, value.qualifier))
            self.assertRegex(self.text, re.escape(shown) + r" ?\[\d+\]", value.indicator.slug)
            self.assertTrue(loose(value.indicator.name) in loose(self.text), value.indicator.name)

    def test_each_measure_gathers_its_source_notes_with_document_and_lines(self):
        sections = [m for a in self.report.axes for m in a.measures]
        self.assertEqual(len(sections), 20)
        for section in sections:
            self.assertTrue(section.notes, section.title)
            for note in section.notes:
                self.assertIn("Comité interministériel à l’égalité et à la citoyenneté", note.document)
                self.assertRegex(note.detail, r"lignes? \d+")
                # The note the reference points to is in the file, under the measure.
                self.assertIn(f'id="{section.anchor}-note-{note.number}"', self.html)
        self.assertEqual(self.text.count("Sources 1. «"), 20)
        self.assertIn("Commissariat général à l’égalité des territoires (CGET), janvier 2017, lignes", self.text)

    def test_targets_say_their_status_at_the_date_of_the_value(self):
        self.assertIn("objectif : 30 orchestres d’ici à 2018", self.text.lower())
        self.assertIn("Valeur : 19 orchestres — au 31 décembre 2016 : en bonne voie", self.text)
        # A relative target with no stated starting point gets no status, and says why.
        self.assertIn(
            "diviser par 2 le nombre de décrocheurs [3] Valeur : moins de 100 000 jeunes — avancement non calculé : "
            "la source ne donne pas la valeur de départ",
            self.text,
        )
        self.assertNotIn("sans cible", self.text)
        # A target stated as an increment stays one: 2 more centres than the 18 the source states.
        epide = next(t for a in self.report.axes for m in a.measures for t in m.targets if "Épide" in t.sentence)
        self.assertEqual(epide.progress.target - epide.progress.baseline, 2)
        self.assertEqual(epide.progress.baseline, 18)

    def test_local_examples_are_boxed_with_their_place(self):
        self.assertTrue("EXEMPLE LOCAL — CA CHÂTEAUROUX MÉTROPOLE, CHÂTEAUROUX (36)" in self.text)
        self.assertIn('<aside class="example"', self.html)

    def test_the_table_of_contents_gives_page_numbers_and_pages_have_running_heads(self):
        toc = pdf_text(self.pdf, "-layout", "-f", "2", "-l", "2")
        pages = len(read_pdf(self.pdf).pages)
        lines = toc.splitlines()
        for measure in self.programme.measures.all():
            start = flat(measure.title)[:40]
            at = next(n for n, line in enumerate(lines) if start in flat(line))
            # The page number ends the title's line, or the next one when a long title wraps.
            line = lines[at].rstrip() if re.search(r"\d+$", lines[at].rstrip()) else lines[at + 1].rstrip()
            self.assertRegex(line, r"\.+ ?\d+$", measure.title)
        numbers = [int(n) for n in re.findall(r"(\d+)\s*$", toc, re.MULTILINE)]
        self.assertGreaterEqual(len(numbers), 18)
        self.assertTrue(all(3 <= n <= pages for n in numbers))
        self.assertEqual(numbers, sorted(numbers))
        page5 = pdf_text(self.pdf, "-f", "5", "-l", "5")
        self.assertIn(self.programme.name[:30], page5)
        self.assertIn(f"5 / {pages}", page5)

    def test_the_pdf_is_tagged_with_its_language_and_title(self):
        reader = read_pdf(self.pdf)
        root = reader.trailer["/Root"]
        self.assertEqual(root["/Lang"], "fr")
        self.assertTrue(root["/MarkInfo"]["/Marked"])
        self.assertIn("/StructTreeRoot", root)
        self.assertTrue(root["/ViewerPreferences"]["/DisplayDocTitle"])
        self.assertTrue(reader.metadata.title.startswith(self.programme.name))
        fonts = {
            str(font.get_object()["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        self.assertTrue(fonts and all("Marianne" in f for f in fonts), fonts)

    def test_the_html_is_one_self_contained_file(self):
        self.assertNotIn("<script", self.html)
        self.assertNotIn("<link", self.html)
        self.assertNotIn("<img", self.html)
        urls = re.findall(r"url\(([^)]{0,30})", self.html)
        self.assertTrue(urls)
        self.assertTrue(all(u.startswith(("data:", "'data:", '"data:')) for u in urls), urls)
        self.assertIn('<html lang="fr">', self.html)
        self.assertIn("<svg", self.html)  # charts are drawn inside it

    def test_a_territory_report_holds_only_what_concerns_the_territory(self):
        report = build.build("ciec", territory="dep:36")
        text = flat(pdf_text(render.pdf(report)))
        self.assertIn("Châteauroux", text)
        self.assertNotIn("Marseille", text)
        self.assertIn("Territoire : Indre (36)", text)
        self.assertLess(report.measure_count, 20)
        self.assertGreaterEqual(report.measure_count, 1)

    def test_an_axis_report_holds_that_axis_only(self):
        axis = self.programme.axes.filter(measures__isnull=False).distinct().get()
        report = build.build("ciec", axis=axis.slug)
        self.assertEqual([a.name for a in report.axes], [axis.name])
        self.assertEqual(report.scope, f"Axe : {axis.name}")

    def test_unknown_scopes_are_refused_with_their_name(self):
        with self.assertRaisesMessage(build.ReportScopeError, "« nulle-part »"):
            build.build("ciec", axis="nulle-part")
        with self.assertRaisesMessage(build.ReportScopeError, "Territoire inconnu : « dep:999 »"):
            build.build("ciec", territory="dep:999")


def read_pdf(data: bytes) -> PdfReader:
    import io

    return PdfReader(io.BytesIO(data))


class AsOfTests(TestCase):
    """``--as-of`` reads the history: the report as the data stood at that moment."""

    @classmethod
    def setUpTestData(cls):
        cls.before = timezone.now()
        cls.value = Observation.objects.get(indicator__slug="nouveaux-orchestres", territory_id=COUNTRY_CODE)
        reviewer = RoleFactory(kind=RoleKind.REVIEWER, programme=Programme.objects.get(slug="ciec")).user
        indicator = cls.value.indicator
        save_value(
            reviewer,
            ValueInput(indicator, cls.value.territory, cls.value.date, Decimal(23), cls.value.date_precision),
            observation=cls.value,
            expected_version=cls.value.version,
            reason="Correction du nombre d’orchestres",
        )

    def figures(self, report) -> list[str]:
        return [flat(f.value) for a in report.axes for m in a.measures for f in m.figures]

    def test_a_report_as_of_a_moment_before_a_change_shows_the_old_value(self):
        old = self.figures(build.build("ciec", as_of=self.before))
        new = self.figures(build.build("ciec"))
        self.assertIn("19 orchestres", old)
        self.assertNotIn("23 orchestres", old)
        self.assertIn("23 orchestres", new)
        self.assertNotIn("19 orchestres", new)

    def test_a_report_as_of_now_is_the_live_report(self):
        now = timezone.now()
        live, past = build.build("ciec"), build.build("ciec", as_of=now)
        self.assertEqual(live.axes, past.axes)
        self.assertEqual(live.measure_count, 20)

    def test_before_the_programme_existed_there_is_nothing_to_report(self):
        with self.assertRaises(Exception) as raised:
            build.build("ciec", as_of=self.before - datetime.timedelta(days=3650))
        self.assertEqual(type(raised.exception).__name__, "NotPublic")

    def test_the_command_writes_the_old_report_and_refuses_a_future_date(self):
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "avant.html"
            call_command(
                "report", "ciec", "--format", "html", "-o", str(out), "--as-of", self.before.isoformat(), verbosity=0
            )
            text = out.read_text(encoding="utf-8")
            self.assertIn("19\u00a0orchestres", text)
            self.assertNotIn("23\u00a0orchestres", text)
            with self.assertRaisesMessage(CommandError, "dans le futur"):
                call_command("report", "ciec", "--format", "pdf", "-o", str(out), "--as-of", "2999-01-01")
            with self.assertRaisesMessage(CommandError, "n’est pas une date"):
                call_command("report", "ciec", "--format", "pdf", "-o", str(out), "--as-of", "hier")
            with self.assertRaisesMessage(CommandError, "Programme inconnu"):
                call_command("report", "nope", "--format", "pdf", "-o", str(out))


class GenerationTests(TestCase):
    """Downloads are made in the background once per version of the data, and made again after a change."""

    def test_a_file_is_written_whole_or_not_at_all(self):
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "rapport.pdf"
            target.write_bytes(b"ancien")

            with self.assertRaises(TypeError):
                services.write_atomically(target, object())  # type: ignore[arg-type]
            self.assertEqual(target.read_bytes(), b"ancien")
            self.assertEqual([p.name for p in Path(folder).iterdir()], ["rapport.pdf"])

    def test_measure_is_in_scope(self):
        measure = Measure.objects.filter(programme__slug="ciec").order_by("position").first()
        report = build.build("ciec", measure=measure.slug)
        self.assertEqual(report.measure_count, 1)
        self.assertEqual(report.scope, f"Mesure : {measure.title}")

    def test_progress_only_moves_forward_and_names_its_steps(self):
        heard: list[tuple[int, str]] = []
        data = services.make(build.build("ciec"), "pdf", lambda percent, step: heard.append((percent, step)))
        self.assertTrue(data.startswith(b"%PDF-"))
        percents = [percent for percent, _ in heard]
        self.assertEqual(percents, sorted(set(percents)))
        self.assertGreaterEqual(percents[-1], 85)
        self.assertEqual({step for _, step in heard}, {"Mise en page", "Composition du PDF"})
