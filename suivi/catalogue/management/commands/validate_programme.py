from django.core.management.base import BaseCommand, CommandError

from suivi.catalogue.interchange.checking import check_file, walk
from suivi.catalogue.interchange.reading import ProgrammeDataError
from suivi.catalogue.management.commands._programmes import programme_file


class Command(BaseCommand):
    help = (
        "Check a programme document without loading it: fields, references, territory codes, "
        "and that every quote is found at its place in its source."
    )

    def add_arguments(self, parser):
        parser.add_argument("programme", help="e.g. ciec, or path/to/programme.yaml")

    def handle(self, *args, programme: str, **options):
        path = programme_file(programme)
        try:
            root = check_file(path)
        except ProgrammeDataError as exc:
            raise CommandError(f"{path} is not valid.\n{exc}") from None
        quotes = sum(1 for node in walk(root) if isinstance(node.get("source"), dict))
        measures = root["measures"]
        self.stdout.write(
            self.style.SUCCESS(
                f"{path} is valid: {len(measures)} measures, "
                f"{sum(len(m['indicators']) for m in measures)} indicators, "
                f"{sum(len(m['initiatives']) for m in measures)} initiatives, {quotes} quotes found at their place."
            )
        )
