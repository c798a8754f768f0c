"""python manage.py extract_eval GOLD.json: precision, recall and F1 per item type against a gold annotation."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from suivi.extraction.evaluation import evaluate, load_gold
from suivi.extraction.extract import extract
from suivi.extraction.reading import UnreadableDocument


class Command(BaseCommand):
    help = "Extract the gold file's document and score the draft: precision, recall and F1 per item type."

    def add_arguments(self, parser):
        parser.add_argument("gold")
        parser.add_argument("--errors", action="store_true", help="list the missed and spurious items")
        parser.add_argument("--json", action="store_true", help="the scores as JSON")

    def handle(self, *args, **options):
        path = Path(options["gold"])
        try:
            gold = load_gold(path)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"{path}: {error}") from None
        document = Path(gold["document"])
        if not document.is_absolute():
            document = Path(settings.BASE_DIR) / document
        when = datetime.date.fromisoformat(gold["document_date"]) if gold.get("document_date") else None
        try:
            result = evaluate(extract(document, document_date=when), gold)
        except UnreadableDocument as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            scores = {
                k: {"gold": s.gold, "found": s.found, "matched": s.matched, "precision": round(s.precision, 3),
                    "recall": round(s.recall, 3), "f1": round(s.f1, 3)}
                for k, s in result.scores.items()
            }  # fmt: skip
            self.stdout.write(json.dumps(scores, indent=1))
            return
        self.stdout.write(f"{document.name}: {sum(s.gold for s in result.scores.values())} items in the gold")
        self.stdout.write(
            f"{'type':<10} {'gold':>5} {'found':>6} {'right':>6} {'precision':>10} {'recall':>7} {'F1':>6}"
        )
        for kind, s in result.scores.items():
            self.stdout.write(
                f"{kind:<10} {s.gold:>5} {s.found:>6} {s.matched:>6} {s.precision:>10.3f} {s.recall:>7.3f} {s.f1:>6.3f}"
            )
        if options["errors"]:
            for item in result.missed:
                self.stdout.write(f"missed    l.{item['line']} {item['kind']} {item['key']}")
            for item in result.spurious:
                self.stdout.write(f"spurious  l.{item['line']} {item['kind']} {item['key']} « {item['quote']} »")
