"""python manage.py extract FILE --programme SLUG [--json] [--date YYYY-MM-DD]: a draft from a report."""

from __future__ import annotations

import datetime
import json
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from suivi.catalogue.models import Programme
from suivi.extraction.extract import extract
from suivi.extraction.items import KINDS
from suivi.extraction.places import NoTerritories, check_territories
from suivi.extraction.reading import UnreadableDocument


class Command(BaseCommand):
    help = (
        "Read a progress report (PDF with a text layer, or plain text) and propose its measures, figures, "
        "money, targets, dates and places, each with its page, lines and quote. Writes nothing to the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--programme", required=True, help="the programme whose measures headings are matched to")
        parser.add_argument("--json", action="store_true", help="the whole draft as JSON on standard output")
        parser.add_argument("--date", help="the document's date (YYYY-MM-DD), for 'le 10 octobre dernier'")

    def handle(self, *args, **options):
        try:
            check_territories()
        except NoTerritories as error:
            raise CommandError(str(error)) from None
        try:
            programme = Programme.objects.get(slug=options["programme"])
        except Programme.DoesNotExist:
            known = ", ".join(Programme.objects.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"unknown programme {options['programme']!r} (known: {known})") from None
        when = None
        if options["date"]:
            try:
                when = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date {options['date']!r}: use YYYY-MM-DD") from None
        progress = (lambda name: self.stderr.write(f"… {name}")) if not options["json"] else None
        try:
            draft = extract(options["file"], programme, when, progress)
        except UnreadableDocument as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(draft.as_json(), ensure_ascii=False, indent=1))
            return
        counts = Counter(item.kind for item in draft.items)
        self.stdout.write(
            f"{draft.document} (daté du {draft.document_date or 'inconnu'}) — brouillon, rien n’est publié"
        )
        for kind in KINDS:
            self.stdout.write(f"  {kind}: {counts.get(kind, 0)}")
        for item in draft.items:
            summary = ", ".join(f"{k}={v}" for k, v in item.data.items() if v not in ("", None, [], "exact"))
            self.stdout.write(
                f"p.{item.page} l.{item.lines[0]}-{item.lines[1]} {item.kind:<9} {summary}  « {item.quote} »"
            )
