from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from suivi.catalogue.interchange.exporting import dumps, export_programme
from suivi.catalogue.models import Programme


class Command(BaseCommand):
    help = "Write a whole programme as one JSON document (the format load_programme reads)."

    def add_arguments(self, parser):
        parser.add_argument("programme", help="the programme's slug, e.g. ciec")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")

    def handle(self, *args, programme: str, output: Path | None, **options):
        try:
            instance = Programme.objects.get(slug=programme)
        except Programme.DoesNotExist:
            known = ", ".join(Programme.objects.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"No programme {programme!r} in the database (known: {known}).") from None
        text = dumps(export_programme(instance))
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output} ({len(text.encode()):,} bytes).")
