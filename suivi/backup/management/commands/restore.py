"""``manage.py restore FILE``: a backup into an empty, migrated database, all or nothing."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from suivi.backup import archive
from suivi.publication import cache


class Command(BaseCommand):
    help = "Restaure une sauvegarde dans une base neuve (après `migrate`), en entier ou pas du tout."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="sauvegarde faite par `manage.py backup`")

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(label: str, count: int) -> None:
            if options["verbosity"] >= 2:
                self.stderr.write(f"{label} : {count} lignes")

        try:
            counts = archive.restore(options["file"], progress)
        except archive.BackupError as exc:
            raise CommandError(str(exc)) from None
        cache.bump()  # pages cached from another database are not this one's
        if options["verbosity"]:
            self.stdout.write(
                f"Sauvegarde restaurée : {sum(counts.values())} lignes dans {len(counts)} tables "
                f"({time.monotonic() - started:.1f} s)."
            )
