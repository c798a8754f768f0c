"""Precision, recall and F1 of a draft against a hand-made gold annotation, per item type.

A gold item and an extracted item match when they are of the same kind, start within one line
of each other, and agree on what matters for that kind (below); each matches at most once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from suivi.extraction.items import Draft

LINE_TOLERANCE = 1
EVALUATED = ("measure", "quantity", "money", "target", "date", "place")


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value)).normalize() if value not in (None, "") else None
    except InvalidOperation:
        return None


def key(kind: str, data: dict):
    """What must agree, by kind."""
    if kind == "quantity":
        return (_number(data.get("value")), _number(data.get("upper")))
    if kind == "money":
        return (_number(data.get("amount")),)
    if kind == "target":
        return (data.get("mode"), _number(data.get("value")), data.get("deadline"))
    if kind == "date":
        return (data.get("value"), data.get("end"))
    if kind == "place":
        return (data.get("code"),)
    if kind == "measure":
        return (tuple(data.get("decisions") or ()), _words(data.get("title", "")))
    return (json.dumps(data, sort_keys=True),)


def _words(title: str) -> str:
    return " ".join(title.split()[:3]).upper()


@dataclass
class Score:
    kind: str
    gold: int
    found: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    scores: dict[str, Score]
    missed: list[dict]
    spurious: list[dict]


def load_gold(path: Path) -> dict:
    gold = json.loads(Path(path).read_text(encoding="utf-8"))
    for index, item in enumerate(gold["items"]):
        if item.get("kind") not in EVALUATED or not isinstance(item.get("line"), int):
            raise ValueError(f"{path}: item {index}: needs a kind among {', '.join(EVALUATED)} and a line number")
    return gold


def evaluate(draft: Draft, gold: dict) -> Evaluation:
    found = [{"kind": i.kind, "line": i.lines[0], "key": key(i.kind, i.data), "quote": i.quote} for i in draft.items]
    expected = [{**g, "key": key(g["kind"], g)} for g in gold["items"]]
    used: set[int] = set()
    missed = []
    matched_by_kind: dict[str, int] = {}
    for g in expected:
        hit = next(
            (
                n
                for n, f in enumerate(found)
                if n not in used
                and f["kind"] == g["kind"]
                and abs(f["line"] - g["line"]) <= LINE_TOLERANCE
                and f["key"] == g["key"]
            ),
            None,
        )
        if hit is None:
            missed.append(g)
        else:
            used.add(hit)
            matched_by_kind[g["kind"]] = matched_by_kind.get(g["kind"], 0) + 1
    spurious = [f for n, f in enumerate(found) if n not in used and f["kind"] in EVALUATED]
    scores = {
        kind: Score(
            kind,
            sum(g["kind"] == kind for g in expected),
            sum(f["kind"] == kind for f in found),
            matched_by_kind.get(kind, 0),
        )
        for kind in EVALUATED
    }
    return Evaluation(scores, missed, spurious)


def spacy_places(draft: Draft, gold: dict) -> Score:
    """spaCy's own places (LOC and GPE entities, each read as the most populated territory of its
    name) against the gold: what the rules and the gazetteer correct."""
    from suivi.extraction.places import gazetteer
    from suivi.territories.folding import fold

    names = gazetteer()
    found = []
    for line, label, text in draft.entities:
        if label not in ("LOC", "GPE"):
            continue
        candidates = names.get(re.sub(r"^(l|d) ", "", fold(text)), ())
        code = max(candidates, key=lambda c: c.population).code if candidates else None
        found.append({"line": line, "code": code})
    expected = [g for g in gold["items"] if g["kind"] == "place"]
    used: set[int] = set()
    matched = 0
    for g in expected:
        hit = next(
            (n for n, f in enumerate(found) if n not in used and abs(f["line"] - g["line"]) <= LINE_TOLERANCE
             and f["code"] == g["code"]),
            None,
        )  # fmt: skip
        if hit is not None:
            used.add(hit)
            matched += 1
    return Score("place (spaCy)", len(expected), len(found), matched)
