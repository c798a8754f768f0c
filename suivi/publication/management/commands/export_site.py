"""``manage.py export_site DIR``: the public site as static files (see ``suivi.publication.export``)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from suivi.publication import export


class Command(BaseCommand):
    help = "Exporte tout le site public en fichiers statiques (pages, téléchargements, JSON de l’API, recherche)."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="dossier à remplir (créé s’il n’existe pas)")

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(done: int, queued: int) -> None:
            if options["verbosity"] >= 2 and done % 50 == 0:
                self.stderr.write(f"{done} pages rendues, {queued} en attente")

        try:
            result = export.site(options["folder"], progress)
        except OSError as exc:  # a full disk, a folder that cannot be written
            raise CommandError(
                f"Export interrompu : {exc}. Les fichiers déjà écrits sont entiers ; relancez l’export."
            ) from None
        if options["verbosity"]:
            self.stdout.write(
                f"Site exporté dans {options['folder']} : {len(result.files)} fichiers, {result.written} écrits, "
                f"{result.unchanged} inchangés, {result.removed} supprimés ({time.monotonic() - started:.0f} s)."
            )
