"""Import values from CSV or XLSX files: check everything, show the preview, write all or nothing."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from suivi.catalogue.models import Programme
from suivi.contributions.commands import account_or_operator
from suivi.imports import engine
from suivi.imports.mapping import Mapping, MappingError
from suivi.imports.models import JobState
from suivi.imports.reading import paths_of


class Command(BaseCommand):
    help = (
        "Import values (indicator, territory, date, value) from CSV or XLSX files into a programme. "
        "Every row is checked first; one bad row and nothing is written. See docs/imports.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="CSV or XLSX files (shell patterns accepted: 'dir/*.csv')")
        parser.add_argument("--programme", required=True, help="slug of the programme, e.g. barometre")
        parser.add_argument("--mapping", help="YAML file naming the columns (default: the template's headers)")
        parser.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
        parser.add_argument(
            "--publish", action="store_true", help="publish at once (programme team only); default: submitted"
        )
        parser.add_argument("--user", help="import as this account (email), with its rights; default: the operator")
        parser.add_argument("--reason", default="", help="why, kept in the history")

    def handle(self, *args, files, programme, mapping, dry_run, publish, user, reason, verbosity, **options):
        found = Programme.objects.filter(slug=programme).first()
        if found is None:
            known = ", ".join(Programme.objects.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"No programme {programme!r} (known: {known}).")
        author = account_or_operator(user)
        try:
            chosen = Mapping.load(mapping) if mapping else Mapping.default()
        except MappingError as error:
            raise CommandError(str(error)) from None
        if chosen.kind != "values":
            raise CommandError(f"{mapping}: a mapping of kind {chosen.kind}: use import_targets")
        try:
            paths = paths_of(files)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        job = engine.create_job(found, author, paths, mapping=chosen, publish=publish)
        bar = None
        if (verbosity >= 1 and sys.stderr.isatty()) or verbosity >= 2:
            bar = tqdm(total=job.bytes_total, unit="B", unit_scale=True, desc="Vérification", file=sys.stderr)

        def progress(current):
            if bar is not None:
                bar.update(current.bytes_read - bar.n)

        engine.check(job, progress)
        if bar is not None:
            bar.update(job.bytes_total - bar.n)
            bar.close()
        if job.state == JobState.FAILED:
            for problem in job.errors:
                self.stderr.write(str(engine.Problem(**problem)))
            more = job.error_count - len(job.errors)
            if more > 0:
                self.stderr.write(f"… and {more} more errors.")
            raise CommandError(
                f"{job.error_count} error(s) in {len(paths)} file(s): nothing was imported (import {job.pk})."
            )
        counts = job.counts
        summary = (
            f"{job.rows_read} rows read: {counts['new']} new values, {counts['changed']} changed, "
            f"{counts['same']} unchanged."
        )
        if dry_run:
            self.stdout.write(f"{summary} Dry run: nothing written (import {job.pk}).")
            engine.StagedValue.objects.filter(job=job).delete()
            return
        engine.apply(job, reason=reason)
        written = job.counts["new"] + job.counts["changed"]
        change = f", change set {job.change_set_id}" if job.change_set_id else ""
        self.stdout.write(f"{summary} Written: {written} (import {job.pk}{change}).")
