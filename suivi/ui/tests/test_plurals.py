"""French plurals: the catalogue holds every plural of the sources, compiled, with French rules."""

import shutil
import tempfile
from pathlib import Path

from django.test import SimpleTestCase
from django.utils import translation
from django.utils.translation import ngettext

from suivi.ui import plurals


class PluralCatalogueTests(SimpleTestCase):
    def test_the_catalogue_holds_every_plural_of_the_sources_and_is_compiled(self):
        self.assertEqual(
            plurals.CATALOGUE.read_text(encoding="utf-8"),
            plurals.extracted(),
            "the sources' plurals changed: run `manage.py update_plurals` and commit locale/",
        )
        with tempfile.TemporaryDirectory() as folder:
            compiled = plurals.compile_catalogue(Path(shutil.copy(plurals.CATALOGUE, Path(folder) / "django.po")))
            expected = plurals.catalogue_entries(compiled)
        self.assertEqual(plurals.catalogue_entries(plurals.CATALOGUE.with_suffix(".mo")), expected)

    def test_zero_and_one_take_the_singular(self):
        with translation.override("fr"):
            texts = [ngettext("%(counter)s mesure", "%(counter)s mesures", n) % {"counter": n} for n in (0, 1, 2)]
        self.assertEqual(texts, ["0 mesure", "1 mesure", "2 mesures"])
