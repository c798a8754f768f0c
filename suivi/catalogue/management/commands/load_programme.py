from django.core.management.base import BaseCommand, CommandError

from suivi.catalogue.interchange.loading import DocumentConflict, load_programme_file
from suivi.catalogue.interchange.reading import ProgrammeDataError
from suivi.catalogue.management.commands._programmes import programme_file
from suivi.contributions.commands import account_or_operator
from suivi.contributions.rights import NotAllowed


class Command(BaseCommand):
    help = (
        "Load a programme (a name under data/programmes/, or a YAML/JSON file). All or nothing; idempotent. "
        "Refuses to overwrite changes made through the site unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("programme", help="e.g. ciec, or path/to/programme.json")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Apply the document even where it overwrites changes made through the site (recorded in history).",
        )
        parser.add_argument("--user", help="Load as this account (email), with its rights; default: the operator.")
        parser.add_argument(
            "--keep-site-edits",
            action="store_true",
            help="When the document would overwrite changes made through the site, say so and exit 0 without "
            "writing (what `make run` does on every start).",
        )

    def handle(
        self, *args, programme: str, force: bool, user: str | None, keep_site_edits: bool, verbosity: int, **options
    ):
        path = programme_file(programme)
        actor = account_or_operator(user)
        if verbosity >= 1:
            self.stdout.write(f"Checking and loading {path}")
        try:
            report = load_programme_file(path, actor=actor, force=force)
        except ProgrammeDataError as exc:
            raise CommandError(f"{path} was not loaded; nothing changed.\n{exc}") from None
        except NotAllowed as exc:
            raise CommandError(f"{path} was not loaded; nothing changed. {user}: {exc}") from None
        except DocumentConflict as exc:
            lines = "\n".join(f"  {line}" for line in exc.report.conflicts)
            if keep_site_edits:
                self.stdout.write(
                    self.style.WARNING(
                        f"{path} not loaded: it would overwrite {len(exc.report.conflicts)} change(s) made "
                        f"through the site, which the database keeps (load it with --force to apply it):\n{lines}"
                    )
                )
                return
            raise CommandError(
                f"{path} was not loaded; nothing changed. It would overwrite {len(exc.report.conflicts)} change(s) "
                f"made through the site since the last load (site value → document value):\n{lines}\n"
                "Export the database's version with `export_programme`, or apply the document anyway with --force."
            ) from None
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Programme {report.programme}: {report.summary()}"))
            if report.conflicts:
                self.stdout.write(
                    self.style.WARNING(f"Forced over {len(report.conflicts)} change(s) made on the site:")
                )
                for line in report.conflicts:
                    self.stdout.write(f"  {line}")
            for item in report.kept:
                self.stdout.write(self.style.WARNING(f"Kept, not in the file: {item}"))
