"""``manage.py backup FILE``: the whole database, consistent, as one file (see ``suivi.backup.archive``)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from suivi.backup import archive


class Command(BaseCommand):
    help = "Sauvegarde toute la base (cohérente, même pendant que le site tourne) dans un fichier .jsonl.gz."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="fichier à écrire, ex. suivi-2026-11-28.jsonl.gz")

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(label: str, count: int) -> None:
            if options["verbosity"] >= 2:
                self.stderr.write(f"{label} : {count} lignes")

        counts = archive.backup(options["file"], progress)
        if options["verbosity"]:
            size = options["file"].stat().st_size
            self.stdout.write(
                f"Sauvegarde écrite : {options['file']} ({size / 1e6:.1f} Mo, {len(counts)} tables, "
                f"{sum(counts.values())} lignes, {time.monotonic() - started:.1f} s)."
            )
