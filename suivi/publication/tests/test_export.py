"""The public site as static files: every page with content, downloads, the API's JSON, a
search index; every link of every page leads to a file of the export; a re-export writes only
what changed; a full disk stops it with a clear error and no truncated file."""

from __future__ import annotations

import errno
import html
import json
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from suivi.catalogue.models import Programme
from suivi.contributions.models import RoleKind
from suivi.factories import RoleFactory
from suivi.indicators.models import Observation
from suivi.indicators.services import ValueInput, save_value
from suivi.publication import export

# The CIEC, loaded once for the module (conftest.py).
pytestmark = pytest.mark.usefixtures("ciec_for_module")


def links(page: str) -> set[str]:
    return {html.unescape(h).split("#", 1)[0] for h in re.findall(r'(?:href|src)="(/[^"]*)"', page)} - {""}


class ExportTests(TestCase):
    """One export of the CIEC, read by every test."""

    @classmethod
    def setUpTestData(cls):
        cls.temporary = tempfile.TemporaryDirectory()
        cls.folder = Path(cls.temporary.name)
        cls.result = export.site(cls.folder)

    @classmethod
    def tearDownClass(cls):
        cls.temporary.cleanup()
        super().tearDownClass()

    def test_every_page_with_content_is_a_file_and_every_link_leads_to_one(self):
        result = self.result
        for path in (
            "index.html",
            "programmes/ciec/index.html",
            "programmes/ciec/mesures/reseau-des-conservatoires/index.html",
            "territoires/dep-36/index.html",  # Châteauroux's initiative
            "territoires/com-36044/index.html",
            "territoires/reg-24/index.html",  # above it
            "territoires/fr/index.html",
            "carte/index.html",
            "donnees/ciec/observations.csv",
            "flux/ciec.atom",
            "static/dsfr/dist/dsfr/dsfr.min.css",
        ):
            self.assertTrue((self.folder / path).is_file(), path)
        self.assertFalse((self.folder / "territoires/dep-23").exists())  # nothing in the Creuse
        self.assertFalse((self.folder / "espace").exists())
        broken = []
        pages = list(self.folder.rglob("*.html"))
        self.assertGreater(len(pages), 60)
        for page in pages:
            for target in links(page.read_text(encoding="utf-8")):
                if "?" in target or not (self.folder / export.file_for(target)).is_file():
                    broken.append((page.relative_to(self.folder), target))
        self.assertEqual(broken, [])
        # A link to a page the export does not hold is text, not a dead link.
        indre = (self.folder / "territoires/dep-36/index.html").read_text(encoding="utf-8")
        self.assertIn("Ardentes", indre)
        self.assertNotIn('href="/territoires/com-36005/"', indre)
        # On the map, a département not exported stays drawn (a <span> would end the SVG there).
        svg = indre.split('class="suivi-map__svg"')[1].split("</svg>")[0]
        self.assertNotIn("<span", svg)
        self.assertIn("<g><path", svg)
        self.assertIn("<title>Cher (18) : 0 initiative locale</title>", svg)
        self.assertEqual(result.written, len(result.files))

    def test_the_api_json_holds_every_published_value(self):
        values = json.loads((self.folder / "api/v1/ciec/observations.json").read_text(encoding="utf-8"))
        self.assertEqual(
            len(values), Observation.objects.public().filter(indicator__measure__programme__slug="ciec").count()
        )
        programmes = json.loads((self.folder / "api/v1/programmes.json").read_text(encoding="utf-8"))
        self.assertEqual(
            [p["slug"] for p in programmes], list(Programme.objects.public().values_list("slug", flat=True))
        )

    def test_the_search_page_searches_a_prebuilt_index(self):
        entries = json.loads((self.folder / "recherche/index.json").read_text(encoding="utf-8"))
        chateauroux = [e for e in entries if "chateauroux" in e["f"]]
        self.assertTrue(chateauroux)
        self.assertTrue(all((self.folder / export.file_for(e["u"].split("#")[0])).is_file() for e in entries))
        page = (self.folder / "recherche/index.html").read_text(encoding="utf-8")
        self.assertIn('<script type="module" src="/static/suivi/recherche-statique.js">', page)
        self.assertTrue((self.folder / "static/suivi/recherche-statique.js").is_file())


class ReExportTests(TestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def export(self) -> export.Export:
        with self.captureOnCommitCallbacks(execute=True):
            return export.site(self.folder)

    def test_a_re_export_writes_only_what_changed(self):
        first = self.export()
        again = self.export()
        self.assertEqual((again.written, again.removed), (0, 0))
        self.assertEqual(again.unchanged, len(first.files))
        value = Observation.objects.get(indicator__slug="nouveaux-orchestres", territory_id="fr")
        team = RoleFactory(kind=RoleKind.REVIEWER, programme=Programme.objects.get(slug="ciec")).user
        with self.captureOnCommitCallbacks(execute=True):
            save_value(
                team,
                ValueInput(value.indicator, value.territory, value.date, Decimal(23), value.date_precision),
                observation=value,
                expected_version=value.version,
            )
        changed = self.export()
        self.assertGreater(changed.written, 0)
        self.assertLess(changed.written, len(first.files) / 4)
        page = (self.folder / "programmes/ciec/mesures/reseau-des-conservatoires/index.html").read_text(
            encoding="utf-8"
        )
        self.assertIn("23\u00a0orchestres", page)

    def test_a_full_disk_stops_the_export_with_a_clear_error_and_no_truncated_file(self):
        self.export()
        target = self.folder / "programmes/ciec/index.html"
        before = target.read_bytes()
        (self.folder / export.MANIFEST).unlink()  # everything is written again
        real_replace = export.os.replace

        def full(source, destination):
            if str(destination).endswith("programmes/ciec/index.html"):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_replace(source, destination)

        with (
            mock.patch.object(export.os, "replace", side_effect=full),
            self.assertRaisesMessage(CommandError, "No space left on device"),
        ):
            call_command("export_site", str(self.folder), verbosity=0)
        self.assertEqual(target.read_bytes(), before)
        self.assertEqual(list(self.folder.rglob("*.part")), [])
