"""``manage.py report SLUG [--axis|--measure SLUG] [--territory CODE] [--as-of DATE] --format pdf|html -o FILE``."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from suivi.reports import build, services
from suivi.reports.models import ReportFormat
from suivi.reports.snapshot import NotPublic


def moment(text: str) -> datetime.datetime:
    """``2017-01-15`` → the end of that day (Paris time); ``2017-01-15T14:30`` → that minute."""
    try:
        if "T" in text or " " in text:
            value = datetime.datetime.fromisoformat(text)
        else:
            day = datetime.date.fromisoformat(text)
            value = datetime.datetime.combine(day, datetime.time.max)
    except ValueError:
        raise CommandError(
            f"--as-of: « {text} » n’est pas une date (attendu : 2017-01-15 ou 2017-01-15T14:30)."
        ) from None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class Command(BaseCommand):
    help = (
        "Produit le rapport d’avancement d’un programme (entier, d’un axe, d’une mesure ou d’un territoire), "
        "en PDF ou en HTML."
    )

    def add_arguments(self, parser):
        parser.add_argument("programme", help="identifiant du programme, ex. ciec")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--axis", help="identifiant d’un axe : le rapport de cet axe seulement")
        scope.add_argument("--measure", help="identifiant d’une mesure : le rapport de cette mesure seulement")
        parser.add_argument("--territory", help="code d’un territoire (dep:36, com:36044…) : ce qui le concerne")
        parser.add_argument(
            "--as-of", dest="as_of", help="date : les données telles qu’elles étaient publiées ce jour-là"
        )
        parser.add_argument("--format", choices=ReportFormat.values, required=True)
        parser.add_argument("-o", "--output", required=True, help="fichier à écrire")

    def handle(self, *args, **options):
        started = time.monotonic()
        as_of = moment(options["as_of"]) if options["as_of"] else None
        if as_of is not None and as_of > timezone.now():
            raise CommandError(f"--as-of: {options['as_of']} est dans le futur.")
        output = Path(options["output"])
        try:
            report = build.build(
                options["programme"],
                axis=options["axis"],
                measure=options["measure"],
                territory=options["territory"],
                as_of=as_of,
            )
        except NotPublic:
            raise CommandError(
                f"Programme inconnu ou non publié{' à cette date' if as_of else ''} : « {options['programme']} »."
            ) from None
        except build.ReportScopeError as exc:
            raise CommandError(str(exc)) from None

        def progress(percent: int, step: str) -> None:
            if options["verbosity"] >= 2:
                self.stderr.write(f"{percent:3d} % — {step}")

        data = services.make(report, options["format"], progress)
        services.write_atomically(output, data)
        if options["verbosity"]:
            self.stdout.write(
                f"Rapport écrit : {output} ({len(data) / 1024:.0f} Ko, {report.measure_count} mesures, "
                f"{time.monotonic() - started:.1f} s)."
            )
