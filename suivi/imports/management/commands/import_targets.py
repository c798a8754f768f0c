"""Import territorial targets (an indicator's initial value and target per territory): all or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from suivi.catalogue.models import Programme
from suivi.contributions.commands import account_or_operator
from suivi.contributions.rights import NotAllowed
from suivi.imports.mapping import Mapping, MappingError
from suivi.imports.reading import paths_of
from suivi.imports.targets import TargetsRefused, describe, import_targets


class Command(BaseCommand):
    help = (
        "Import territorial targets (indicator, territory, initial value and its date, target and its deadline) "
        "from CSV or XLSX files, with a mapping of kind 'targets'. One bad row and nothing is written. "
        "See docs/imports.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="CSV or XLSX files (shell patterns accepted)")
        parser.add_argument("--programme", required=True, help="slug of the programme, e.g. barometre")
        parser.add_argument("--mapping", required=True, help="YAML mapping file of kind 'targets'")
        parser.add_argument("--dry-run", action="store_true", help="check and count; write nothing")
        parser.add_argument("--user", help="import as this account (email), with its rights; default: the operator")
        parser.add_argument("--reason", default="", help="why, kept in the history")

    def handle(self, *args, files, programme, mapping, dry_run, user, reason, **options):
        found = Programme.objects.filter(slug=programme).first()
        if found is None:
            known = ", ".join(Programme.objects.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"No programme {programme!r} (known: {known}).")
        try:
            chosen = Mapping.load(mapping)
        except MappingError as error:
            raise CommandError(str(error)) from None
        if chosen.kind != "targets":
            raise CommandError(f"{mapping}: kind: expected targets (a mapping of values is for import_values)")
        try:
            paths = paths_of(files)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        try:
            result = import_targets(found, paths, chosen, account_or_operator(user), dry_run=dry_run, reason=reason)
        except TargetsRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            if refused.count > len(refused.problems):
                self.stderr.write(f"… and {refused.count - len(refused.problems)} more")
            raise CommandError(f"{refused.count} error(s); nothing was written.") from None
        except NotAllowed as error:
            raise CommandError(str(error)) from None
        self.stdout.write(describe(result))
