from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

from suivi.territories.loading import LoadInProgress, TerritoryDataError, default_source_dir, load_territories


class Command(BaseCommand):
    help = "Load or refresh France's territories (INSEE COG) from @etalab/decoupage-administratif."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", type=Path, default=None, help=f"package folder (default: {default_source_dir()})"
        )

    def handle(self, *args, source: Path | None, verbosity: int, **options):
        progress = (lambda message: self.stdout.write(message)) if verbosity >= 1 else (lambda message: None)
        try:
            report = load_territories(source, progress=progress)
        except (TerritoryDataError, LoadInProgress) as exc:
            raise CommandError(str(exc)) from None
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            raise CommandError(
                "The database is busy with another write (another load_territories or an import); "
                "nothing was changed. Run it again once that one has finished."
            ) from None
        if verbosity < 1:
            return
        counts = ", ".join(f"{level}: {n}" for level, n in sorted(report.counts.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Territories from COG package {report.version}: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged, {report.retired} retired; EPCI members +{report.members_added} "
                f"-{report.members_removed}. ({counts})"
            )
        )
