"""Rebuild the French catalogue's plural entries from the sources, and compile it."""

from django.core.management.base import BaseCommand

from suivi.ui import plurals


class Command(BaseCommand):
    help = "Rebuild locale/fr (plural entries only, French rules) from the sources and compile it."

    def handle(self, *args, **options):
        catalogue = plurals.extracted()
        plurals.CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
        plurals.CATALOGUE.write_text(catalogue, encoding="utf-8")
        mo = plurals.compile_catalogue(plurals.CATALOGUE)
        count = plurals.CATALOGUE.read_text(encoding="utf-8").count("\nmsgid_plural ")
        self.stdout.write(f"{plurals.CATALOGUE}: {count} plural entries; compiled to {mo.name}")
