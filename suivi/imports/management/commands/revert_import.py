"""Undo an applied import as a whole (one new change set); values it created are withdrawn, not deleted."""

from django.core.management.base import BaseCommand, CommandError

from suivi.contributions.commands import account_or_operator
from suivi.contributions.rights import NotAllowed
from suivi.imports import engine
from suivi.imports.models import ImportJob


class Command(BaseCommand):
    help = "Revert an import: its new values are withdrawn, the values it changed get their previous version back."

    def add_arguments(self, parser):
        parser.add_argument("job", type=int, help="the import's number (printed by import_values)")
        parser.add_argument("--user", help="revert as this account (email); default: the operator")
        parser.add_argument("--reason", default="")

    def handle(self, *args, job, user, reason, **options):
        found = ImportJob.objects.filter(pk=job).first()
        if found is None:
            raise CommandError(f"No import {job}.")
        actor = account_or_operator(user)
        try:
            engine.revert(found, actor, reason)
        except (ValueError, NotAllowed) as error:
            raise CommandError(f"Import {job} not reverted: {error}") from None
        self.stdout.write(f"Import {job} reverted (change set {found.revert_change_set_id}).")
