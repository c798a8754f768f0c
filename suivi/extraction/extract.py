"""From a document to a draft: read, flatten, apply the rules, give each item its locator and quote."""

from __future__ import annotations

import datetime
import difflib
from pathlib import Path

from suivi.extraction import nlp, rules
from suivi.extraction.flat import FlatText, flatten
from suivi.extraction.items import Draft, Item, fold
from suivi.extraction.places import places
from suivi.extraction.reading import read
from suivi.territories.folding import fold as fold_accents

MEASURE_MATCH = 0.8  # title similarity (accents and case folded) above which a heading is an existing measure


def extract(path: Path, programme=None, document_date: datetime.date | None = None, progress=None) -> Draft:
    """The draft of ``path``: every item with its locator; never written to the database."""
    step = progress or (lambda name: None)
    step("lecture")
    flat = flatten(read(path))
    return extract_flat(flat, programme, document_date, step)


def extract_flat(flat: FlatText, programme=None, document_date=None, step=lambda name: None) -> Draft:
    """Every item of the running text: the rules' (figures, dates, targets, measures, places) and the
    organisations, from rules and spaCy's entities."""
    text = flat.text
    when = document_date or rules.document_date(text)
    step("mesures")
    items: list[Item] = rules.measures(text)
    step("nombres")
    numbers = rules.quantities(text)
    step("dates")
    dates = rules.dates(text, when)
    step("objectifs")
    targets = rules.targets(text, numbers, dates)
    items += [q for q in numbers if not q.data.pop("used", False)] + dates + targets
    step("lieux")
    found_places = places(text)
    items += found_places
    step("organisations")
    found_entities = nlp.entities(text)
    items += nlp.organisations(text, found_places, found_entities)
    if programme is not None:
        _match_measures(items, programme)
    for item in items:
        item.page = flat.page(item.start)
        item.lines = flat.lines(item.start, item.end)
        item.quote = fold(flat.quote(item.start, item.end))
    items.sort(key=lambda item: (item.start, item.kind))
    draft = Draft(flat.source.name, when.isoformat() if when else None, items)
    draft.entities = [(flat.lines(a, b)[0], label, name) for a, b, label, name in found_entities]
    return draft


def _match_measures(items: list[Item], programme) -> None:
    known = {fold_accents(m.title): m.slug for m in programme.measures.all()}
    for item in items:
        if item.kind != "measure":
            continue
        title = fold_accents(item.data["title"])
        best = max(known, key=lambda k: difflib.SequenceMatcher(None, k, title).ratio(), default=None)
        if best is not None and difflib.SequenceMatcher(None, best, title).ratio() >= MEASURE_MATCH:
            item.data["match"] = known[best]
