import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from suivi.catalogue.models import Programme
from suivi.opendata import barometre
from suivi.opendata.formats import WRITERS, data_package, table_schema
from suivi.opendata.tables import TABLES


class Command(BaseCommand):
    help = (
        "Write a programme's open data to a folder: datapackage.json, every table as CSV, JSON and XLSX "
        "with its Table Schema, and the Baromètre-layout files under barometre/."
    )

    def add_arguments(self, parser):
        parser.add_argument("programme", help="the programme's slug, e.g. ciec")
        parser.add_argument("-o", "--output", type=Path, required=True, help="folder to write (created if needed)")

    def handle(self, *args, programme: str, output: Path, verbosity: int, **options):
        instance = Programme.objects.public().filter(slug=programme).first()
        if instance is None:
            raise CommandError(f"No published programme {programme!r}.")
        (output / "barometre").mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            for extension, write in WRITERS.items():
                content = write(table, instance)
                path = output / f"{table.name}.{extension}"
                if isinstance(content, bytes):
                    path.write_bytes(content)
                else:
                    path.write_text(content, encoding="utf-8")
            schema = json.dumps(table_schema(table), ensure_ascii=False, indent=1)
            (output / f"{table.name}.schema.json").write_text(schema, encoding="utf-8")
        for name in barometre.FILES:
            (output / "barometre" / f"barometre-resultats-{name}.csv").write_text(
                barometre.to_csv(instance, name), encoding="utf-8"
            )
        package = json.dumps(data_package(instance), ensure_ascii=False, indent=1)
        (output / "datapackage.json").write_text(package, encoding="utf-8")
        if verbosity >= 1:
            written = f"{len(TABLES)} tables and {len(barometre.FILES)} Baromètre files"
            self.stdout.write(self.style.SUCCESS(f"Wrote {written} to {output}"))
