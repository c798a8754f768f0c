from django.core.management.base import BaseCommand, CommandError

from suivi.catalogue.interchange.loading import load_programme_file
from suivi.catalogue.interchange.reading import ProgrammeDataError
from suivi.catalogue.management.commands._programmes import programme_file


class Command(BaseCommand):
    help = "Load a programme (a name under data/programmes/, or a YAML/JSON file). All or nothing; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("programme", help="e.g. ciec, or path/to/programme.json")

    def handle(self, *args, programme: str, verbosity: int, **options):
        path = programme_file(programme)
        if verbosity >= 1:
            self.stdout.write(f"Checking and loading {path}")
        try:
            report = load_programme_file(path)
        except ProgrammeDataError as exc:
            raise CommandError(f"{path} was not loaded; nothing changed.\n{exc}") from None
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Programme {report.programme}: {report.summary()}"))
            for item in report.kept:
                self.stdout.write(self.style.WARNING(f"Kept, not in the file: {item}"))
