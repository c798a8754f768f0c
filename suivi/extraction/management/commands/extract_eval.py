"""python manage.py extract_eval GOLD.json: precision, recall and F1 per item type against a gold annotation."""

from __future__ import annotations

import datetime
import hashlib
import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from suivi.extraction.evaluation import EVALUATED, evaluate, load_gold, spacy_places
from suivi.extraction.extract import extract
from suivi.extraction.places import NoTerritories, check_territories
from suivi.extraction.reading import UnreadableDocument


class Command(BaseCommand):
    help = "Extract the gold file's document and score the draft: precision, recall and F1 per item type."

    def add_arguments(self, parser):
        parser.add_argument("gold")
        parser.add_argument("--errors", action="store_true", help="list the missed and spurious items")
        parser.add_argument("--json", action="store_true", help="the scores as JSON")
        parser.add_argument("--document", help="the document, when it is not at the gold's path (relative to the gold)")

    def handle(self, *args, **options):
        try:
            check_territories()
        except NoTerritories as error:
            raise CommandError(str(error)) from None
        path = Path(options["gold"])
        try:
            gold = load_gold(path)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"{path}: {error}") from None
        document = Path(options["document"] or gold["document"])
        if not document.is_absolute() and not options["document"]:
            document = (
                (path.parent / document) if (path.parent / document).exists() else Path(settings.BASE_DIR) / document
            )
        if not document.is_file():
            where = f" (get it from {gold['address']})" if gold.get("address") else ""
            raise CommandError(f"{path}: its document {document} is not here{where}; pass it with --document")
        if gold.get("lines"):
            # The annotation covers the document's first lines only: extract those.
            head = "".join(document.read_text(encoding="utf-8").splitlines(keepends=True)[: gold["lines"]])
            with tempfile.NamedTemporaryFile("w", suffix=document.suffix, encoding="utf-8", delete=False) as scratch:
                scratch.write(head)
            self._cleanup = Path(scratch.name)
            document = Path(scratch.name)
        if gold.get("sha256") and hashlib.sha256(document.read_bytes()).hexdigest() != gold["sha256"]:
            raise CommandError(f"{document}: not the annotated text (SHA-256 differs from the gold's {gold['sha256']})")
        when = datetime.date.fromisoformat(gold["document_date"]) if gold.get("document_date") else None
        try:
            draft = extract(document, document_date=when)
            result = evaluate(draft, gold)
            result.scores["place (spaCy)"] = spacy_places(draft, gold)
        except UnreadableDocument as error:
            raise CommandError(str(error)) from None
        finally:
            if getattr(self, "_cleanup", None):
                self._cleanup.unlink(missing_ok=True)
        if options["json"]:
            scores = {
                k: {"gold": s.gold, "found": s.found, "matched": s.matched, "precision": round(s.precision, 3),
                    "recall": round(s.recall, 3), "f1": round(s.f1, 3)}
                for k, s in result.scores.items()
            }  # fmt: skip
            self.stdout.write(json.dumps(scores, indent=1))
            return
        total = sum(s.gold for k, s in result.scores.items() if k in EVALUATED)
        self.stdout.write(f"{document.name}: {total} items in the gold")
        self.stdout.write(
            f"{'type':<10} {'gold':>5} {'found':>6} {'right':>6} {'precision':>10} {'recall':>7} {'F1':>6}"
        )
        for kind, s in result.scores.items():
            self.stdout.write(
                f"{kind:<14} {s.gold:>5} {s.found:>6} {s.matched:>6} {s.precision:>10.3f} {s.recall:>7.3f} {s.f1:>6.3f}"
            )
        if options["errors"]:
            for item in result.missed:
                self.stdout.write(f"missed    l.{item['line']} {item['kind']} {item['key']}")
            for item in result.spurious:
                self.stdout.write(f"spurious  l.{item['line']} {item['kind']} {item['key']} « {item['quote']} »")
